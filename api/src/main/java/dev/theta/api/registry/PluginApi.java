package dev.theta.api.registry;

/**
 * The version of the plugin API that this theta provides. A plugin jar declares the version it was built against in
 * its manifest attribute {@value #MANIFEST_ATTRIBUTE}; theta loads it only when that equals {@link #VERSION}. The
 * number changes when a change to the SPI, the graph builder or the primitive set would break compiled plugins.
 */
public final class PluginApi {
    /** The plugin API version of this theta. */
    public static final int VERSION = 1;
    /** The manifest attribute of a plugin jar that names the API version it was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Theta-Api-Version";

    private PluginApi() {
    }

    /** Null when a jar declaring {@code declared} (null: not declared) can be loaded, otherwise why not. */
    public static String incompatibility(String declared) {
        if (declared == null) {
            return "its manifest has no " + MANIFEST_ATTRIBUTE + " attribute; add '" + MANIFEST_ATTRIBUTE + ": " + VERSION
                    + "' (see docs/plugins.md)";
        }
        if (!declared.trim().equals(String.valueOf(VERSION))) {
            return "it was built against theta API version " + declared.trim() + ", but this theta provides version "
                    + VERSION + "; rebuild it against this theta-api";
        }
        return null;
    }
}
