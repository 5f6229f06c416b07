package dev.theta.core.training;

import dev.theta.api.registry.PluginKind;

import java.util.Map;

/**
 * Which plugin of each kind a run uses and where it comes from ("loss 'focal' from plugins/focal.jar, version
 * 1.0"), so that a plugin's fault is reported as that plugin's.
 */
public record PluginSources(Map<PluginKind, String> described) {
    public String describe(PluginKind kind) {
        return described.getOrDefault(kind, kind.label() + " plugin");
    }
}
