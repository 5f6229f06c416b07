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
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Every provider of every kind visible to a class loader, found with {@link ServiceLoader}. A provider that fails
 * to load, or two providers claiming one name, are recorded as problems naming the class and its jar; the others
 * stay usable, and asking for a broken name fails with that message.
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

    /** Discovers all providers visible to {@code loader}. */
    public static PluginRegistry discover(ClassLoader loader) {
        PluginRegistry r = new PluginRegistry();
        for (PluginKind kind : PluginKind.values()) {
            r.discover(kind, loader);
        }
        return r;
    }

    private void discover(PluginKind kind, ClassLoader loader) {
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
                problems.add(new PluginProblem(kind, null, declaredIn.getOrDefault(cls, "?"), cls, "failed to load: " + why));
                LOG.warn("{} provider {} from {} failed to load: {}", kind.label(), cls, declaredIn.getOrDefault(cls, "?"), why);
                continue;
            }
            register(kind, p, sourceOf(p.getClass()));
        }
    }

    private void register(PluginKind kind, Provider p, String source) {
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
        providers.get(kind).put(name, new Registered<>(kind, p, source));
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
                    + "; known: " + (known.isEmpty() ? "none" : String.join(", ", known)));
        }
        return type.cast(r.provider());
    }

    /** All usable providers of a kind, in discovery order. */
    public List<Registered<?>> all(PluginKind kind) {
        return List.copyOf(providers.get(kind).values());
    }

    public List<PluginProblem> problems() {
        return Collections.unmodifiableList(problems);
    }
}
