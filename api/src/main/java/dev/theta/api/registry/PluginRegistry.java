package dev.theta.api.registry;

import dev.theta.api.options.Names;
import dev.theta.api.spi.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Every provider of every kind visible to theta's class loader and in plugin jars, found with {@link ServiceLoader}.
 * A provider that fails to load, two providers claiming one name, a file in a plugins directory that is not a jar,
 * and a jar built against another {@link PluginApi} version are recorded as problems naming the jar and the class;
 * the others stay usable, and asking for a broken name fails with that message.
 */
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final Map<PluginKind, Map<String, Registered<?>>> providers = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, Map<String, String>> broken = new EnumMap<>(PluginKind.class);
    private final List<PluginProblem> problems = new ArrayList<>();

    private PluginRegistry() {
        for (PluginKind k : PluginKind.values()) {
            providers.put(k, new LinkedHashMap<>());
            broken.put(k, new LinkedHashMap<>());
        }
    }

    /** Discovers all providers visible to {@code loader}; each one's source is the jar (or folder) of its class. */
    public static PluginRegistry discover(ClassLoader loader) {
        PluginRegistry r = new PluginRegistry();
        for (PluginKind kind : PluginKind.values()) {
            r.discover(kind, loader, null);
        }
        return r;
    }

    /**
     * Discovers the providers built into theta ({@code theta}'s loader) and those of every jar in {@code directories},
     * each jar with its own {@link PluginJar class loader}. Files are taken in name order; hidden files and
     * sub-folders are skipped.
     *
     * @throws PluginException when a directory does not exist or cannot be listed
     */
    public static PluginRegistry discover(ClassLoader theta, List<Path> directories) {
        PluginRegistry r = new PluginRegistry();
        for (PluginKind kind : PluginKind.values()) {
            r.discover(kind, theta, new Origin(Registered.BUILT_IN, builtInVersion(), null));
        }
        for (Path dir : directories) {
            for (Path file : jarsIn(dir)) {
                r.load(file, theta);
            }
        }
        return r;
    }

    private void load(Path file, ClassLoader theta) {
        if (!file.getFileName().toString().endsWith(".jar")) {
            fileProblem(file, "not a jar (a plugins directory holds plugin jars only)");
            return;
        }
        PluginJar jar;
        try {
            jar = PluginJar.open(file, theta);
        } catch (IOException e) {
            fileProblem(file, "not a readable jar: " + e.getMessage());
            return;
        }
        if (jar.incompatibility() != null) {
            LOG.warn("plugin jar {} cannot be used: {}", file, jar.incompatibility());
        }
        for (PluginKind kind : PluginKind.values()) {
            discover(kind, jar.loader(), new Origin(file.toString(), jar.version(), jar.incompatibility()));
        }
    }

    private void fileProblem(Path file, String message) {
        problems.add(PluginProblem.ofFile(file.toString(), message));
        LOG.warn("{}: {}", file, message);
    }

    private static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PluginException("plugins directory " + dir + " does not exist or is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !Files.isDirectory(f) && !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new PluginException("cannot list plugins directory " + dir + ": " + e.getMessage());
        }
    }

    /** theta's version, as provenance records it: the jar's {@code Implementation-Version}, "development" from classes. */
    private static String builtInVersion() {
        String v = PluginRegistry.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Where providers come from: null for "the code source of each class"; a jar's incompatibility breaks them all. */
    private record Origin(String source, String version, String incompatibility) {
    }

    private void discover(PluginKind kind, ClassLoader loader, Origin origin) {
        Map<String, String> declaredIn = declarations(kind, loader);
        Iterator<? extends Provider> it = ServiceLoader.load(kind.type(), loader).iterator();
        while (true) {
            Provider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                // The longest declared name the message mentions: a.b.Loss must not match a.b.LossProvider's error.
                String cls = declaredIn.keySet().stream().filter(c -> String.valueOf(e.getMessage()).contains(c))
                        .max(java.util.Comparator.comparingInt(String::length)).orElse("?");
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                String source = origin == null ? declaredIn.getOrDefault(cls, "?") : origin.source();
                String message = "failed to load: " + why
                        + (origin != null && origin.incompatibility() != null ? "; the jar is unusable: " + origin.incompatibility() : "");
                problems.add(new PluginProblem(kind, null, source, cls, message));
                LOG.warn("{} provider {} from {} {}", kind.label(), cls, source, message);
                continue;
            }
            String name;
            try {
                name = p.name();
            } catch (RuntimeException | LinkageError e) {
                String source = origin == null ? sourceOf(p.getClass()) : origin.source();
                problems.add(new PluginProblem(kind, null, source, p.getClass().getName(), "failed to load: name() threw " + e));
                continue;
            }
            if (origin == null) {
                register(kind, p, sourceOf(p.getClass()), "-");
            } else if (origin.incompatibility() != null) {
                String message = kind.label() + " '" + name + "' (" + p.getClass().getName() + " in " + origin.source()
                        + ") cannot be used: " + origin.incompatibility();
                brokenName(kind, name, message);
                problems.add(new PluginProblem(kind, name, origin.source(), p.getClass().getName(), message));
            } else {
                register(kind, p, origin.source(), origin.version());
            }
        }
    }

    private void brokenName(PluginKind kind, String name, String message) {
        providers.get(kind).remove(name);
        broken.get(kind).putIfAbsent(name, message);
    }

    private void register(PluginKind kind, Provider p, String source, String version) {
        String name = p.name();
        Registered<?> existing = providers.get(kind).get(name);
        if (existing != null || broken.get(kind).containsKey(name)) {
            String first = existing != null ? existing.provider().getClass().getName() + " in " + existing.source() : broken.get(kind).get(name);
            String message = "two " + kind.label() + " providers are named '" + name + "': " + first + " and "
                    + p.getClass().getName() + " in " + source + "; remove one of the jars";
            providers.get(kind).remove(name);
            broken.get(kind).put(name, message);
            problems.add(new PluginProblem(kind, name, source, p.getClass().getName(), message));
            return;
        }
        providers.get(kind).put(name, new Registered<>(kind, p, source, version));
    }

    /** Maps each provider class named in META-INF/services files to the jar (or folder) that declares it. */
    private static Map<String, String> declarations(PluginKind kind, ClassLoader loader) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (URL url : Collections.list(loader.getResources("META-INF/services/" + kind.type().getName()))) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String cls = line.replaceAll("#.*", "").trim();
                        if (!cls.isEmpty()) {
                            out.putIfAbsent(cls, location(url));
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read service declarations for {}: {}", kind.label(), e.toString());
        }
        return out;
    }

    private static String location(URL serviceFile) {
        String s = serviceFile.toString();
        int bang = s.indexOf("!/");
        if (s.startsWith("jar:file:") && bang > 0) {
            return s.substring("jar:file:".length(), bang);
        }
        return s.replaceFirst("/META-INF/services/.*$", "").replaceFirst("^file:", "");
    }

    private static String sourceOf(Class<?> c) {
        try {
            var cs = c.getProtectionDomain().getCodeSource();
            return cs == null ? "built in" : cs.getLocation().getPath();
        } catch (SecurityException e) {
            return "unknown";
        }
    }

    /** The provider named {@code name}; fails naming the known ones (and the nearest) or the recorded problem. */
    public <P extends Provider> P get(PluginKind kind, Class<P> type, String name) {
        String problem = broken.get(kind).get(name);
        if (problem != null) {
            throw new PluginException(problem);
        }
        Registered<?> r = providers.get(kind).get(name);
        if (r == null) {
            List<String> known = new ArrayList<>(providers.get(kind).keySet());
            String nearest = Names.nearest(name, known);
            throw new PluginException("unknown " + kind.label() + " '" + name + "'"
                    + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
                    + "; known: " + (known.isEmpty() ? "none" : String.join(", ", known)) + unnamedProblems(kind));
        }
        return type.cast(r.provider());
    }

    /** Problems whose provider name is unknown (it failed to load, or the file is no jar): any may be the one asked for. */
    private String unnamedProblems(PluginKind kind) {
        List<String> unnamed = problems.stream().filter(p -> p.name() == null && (p.kind() == null || p.kind() == kind))
                .map(PluginProblem::toString).toList();
        return unnamed.isEmpty() ? "" : "; these plugins could not be loaded: " + String.join("; ", unnamed);
    }

    /** The recorded problem of a broken name of {@code kind}, or null. */
    public String brokenReason(PluginKind kind, String name) {
        return broken.get(kind).get(name);
    }

    /** The usable provider {@code name} of {@code kind} with its source, if any. */
    public Optional<Registered<?>> find(PluginKind kind, String name) {
        return Optional.ofNullable(providers.get(kind).get(name));
    }

    /** All usable providers of a kind, in discovery order. */
    public List<Registered<?>> all(PluginKind kind) {
        return List.copyOf(providers.get(kind).values());
    }

    public List<PluginProblem> problems() {
        return Collections.unmodifiableList(problems);
    }
}
