package dev.theta.core.plugins;

import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.core.config.ConfigDocument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where plugin jars come from, and the registry over theta's own providers and theirs. The directories are, in
 * this order: those given with {@code --plugins} on the command line, those a config lists under {@code plugins}
 * (relative to the config file), and {@code ./plugins} when it exists.
 */
public final class PluginDirectories {
    /** The config key listing plugin directories. */
    public static final String CONFIG_KEY = "plugins";
    /** The directory used when it exists, relative to the working directory. */
    public static final Path DEFAULT = Path.of("plugins");

    // Set by the command line before a subcommand runs; one command line runs per process (and per test call).
    private static volatile List<Path> commandLine = List.of();

    private PluginDirectories() {
    }

    /** Records the directories given with {@code --plugins}. */
    public static void setCommandLine(List<Path> directories) {
        commandLine = List.copyOf(directories);
    }

    /** The registry for a command without a config. */
    public static PluginRegistry registry() {
        return PluginRegistry.discover(PluginDirectories.class.getClassLoader(), directories(List.of()));
    }

    /** The registry for a command reading {@code config}, whose {@code plugins} key adds directories. */
    public static PluginRegistry registry(ConfigDocument config) {
        return PluginRegistry.discover(PluginDirectories.class.getClassLoader(), directories(fromConfig(config)));
    }

    /** The plugin directories in use: command line, then {@code configured}, then ./plugins if it exists; no repeats. */
    public static List<Path> directories(List<Path> configured) {
        Set<Path> all = new LinkedHashSet<>();
        commandLine.forEach(d -> all.add(d.toAbsolutePath().normalize()));
        configured.forEach(d -> all.add(d.toAbsolutePath().normalize()));
        if (Files.isDirectory(DEFAULT)) {
            all.add(DEFAULT.toAbsolutePath().normalize());
        }
        return List.copyOf(all);
    }

    /** The directories a config lists under {@value #CONFIG_KEY}, resolved against the config file's folder. */
    static List<Path> fromConfig(ConfigDocument config) {
        Object value = config.root().get(CONFIG_KEY);
        if (value == null) {
            return List.of();
        }
        List<?> entries = value instanceof List<?> l ? l : List.of(value);
        Path base = config.file().toAbsolutePath().getParent();
        List<Path> dirs = new ArrayList<>();
        for (Object e : entries) {
            if (!(e instanceof String s) || s.isBlank()) {
                throw new OptionException(CONFIG_KEY, value, "must be a list of directories (relative to the config file)");
            }
            dirs.add(base.resolve(s));
        }
        return dirs;
    }
}
