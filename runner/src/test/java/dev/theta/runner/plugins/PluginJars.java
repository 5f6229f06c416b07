package dev.theta.runner.plugins;

import dev.theta.api.spi.Provider;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds plugin jars in tests from Java source text, compiled against theta-api only, as a third party would. */
final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (class simple name → source of package {@code test.plugins}) and writes a jar with
     * them, a services file per kind ({@code services}: interface → class simple names, which may name missing
     * classes) and a manifest declaring {@code apiVersion} (null: none).
     */
    static Path jar(Path dir, String name, Map<String, String> sources, Map<Class<? extends Provider>, List<String>> services,
                    String apiVersion) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createTempDirectory(dir, "classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", apiClassPath(), "--release", "21"));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey() + ".java");
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (!sources.isEmpty() && javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test plugin sources do not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9");
        if (apiVersion != null) {
            manifest.getMainAttributes().putValue("Theta-Api-Version", apiVersion);
        }
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            for (Map.Entry<Class<? extends Provider>, List<String>> s : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + s.getKey().getName()));
                write(out, String.join("\n", s.getValue().stream().map(c -> "test.plugins." + c).toList()) + "\n");
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String apiClassPath() {
        try {
            return Path.of(Provider.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Source of a softmax cross-entropy loss provider named {@code name}, with {@code extra} in its constructor. */
    static String loss(String className, String name, String constructorBody, String perExample) {
        return """
                package test.plugins;

                import dev.theta.api.graph.Value;
                import dev.theta.api.options.OptionSchema;
                import dev.theta.api.options.Options;
                import dev.theta.api.spi.*;
                import dev.theta.api.tensor.Shape;

                public final class %1$s implements LossProvider {
                    public %1$s() { %3$s }
                    public String name() { return "%2$s"; }
                    public String description() { return "test loss %2$s"; }
                    public OptionSchema options() { return OptionSchema.of(); }
                    public Loss create(Options options, DataSpec data) {
                        return new Loss() {
                            public int scores(DataSpec d) { return d.classes(); }
                            public Value perExample(Value scores, Value target) { %4$s }
                            public Decision decision() { return Decision.ARGMAX; }
                        };
                    }
                }
                """.formatted(className, name, constructorBody, perExample);
    }

    static final String CROSS_ENTROPY = "return scores.logSoftmax(1).gatherElements(target.reshape(Shape.of(Shape.BATCH, 1)), 1)"
            + ".reshape(Shape.of(Shape.BATCH)).neg();";
}
