package dev.theta.core.config;

import java.util.Map;

/** The config as it ran: every plugin option with its default filled in; written to the run directory. */
public record ResolvedConfig(Map<String, Object> asMap) {
}
