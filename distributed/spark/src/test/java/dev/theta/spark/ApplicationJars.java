package dev.theta.spark;

import dev.theta.api.graph.Value;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The jars of a Spark application as {@code spark-submit} would see them, cut from this test JVM's class path:
 * Spark's own jars and every other third-party jar (a Spark home's {@code jars/}), theta's modules (shipped to the
 * executors with {@code spark.jars}, as {@code --jars} does), and the example plugin, built from its sources.
 */
final class ApplicationJars {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path PLUGIN_PROJECT = ROOT.resolve("examples/plugin-example");

    /** Third-party jars of the test class path: what a Spark distribution (and theta's runtime libraries) put on every JVM. */
    final List<Path> spark = new ArrayList<>();
    /** theta's main modules as jars (a module's {@code target/classes} is jarred), never its test classes. */
    final List<Path> theta = new ArrayList<>();

    ApplicationJars(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String entry : classPath()) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (!p.startsWith(ROOT)) {
                if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
                    spark.add(p);
                }
            } else if (p.endsWith("target/classes")) {
                Path jar = dir.resolve("theta-" + ROOT.relativize(p.getParent().getParent()).toString().replace(File.separatorChar, '-') + ".jar");
                directoryJar(p, jar, new Manifest());
                theta.add(jar);
            } else if (p.toString().endsWith(".jar") && !p.getFileName().toString().endsWith("-tests.jar")) {
                theta.add(p);
            }
        }
        if (theta.stream().noneMatch(j -> j.getFileName().toString().contains("spark"))) {
            throw new IllegalStateException("theta-spark is not on the test class path: " + classPath());
        }
    }

    /** Surefire may start the test JVM from a manifest-only jar; it keeps the real class path in this property. */
    private static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    /**
     * Compiles the example plugin against this build's theta-api (its only dependency, as in its pom) and writes it
     * as its Maven build would: classes, {@code META-INF/services}, and the manifest's {@code Theta-Api-Version}.
     */
    static Path examplePlugin(Path dir) throws IOException {
        Path classes = dir.resolve("plugin-classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("--release", "21", "-proc:none", "-d", classes.toString(),
                "-cp", location(Value.class).toString()));
        try (Stream<Path> sources = Files.walk(PLUGIN_PROJECT.resolve("src/main/java"))) {
            sources.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the test JVM has no Java compiler (run the tests on a JDK, not a JRE)");
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, errors, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("compiling " + PLUGIN_PROJECT + " failed:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        copyTree(PLUGIN_PROJECT.resolve("src/main/resources"), classes);
        String pom = Files.readString(PLUGIN_PROJECT.resolve("pom.xml"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(new Attributes.Name("Theta-Api-Version"), pomValue(pom, "<theta.api.version>([^<]+)<"));
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION,
                pomValue(pom, "<artifactId>theta-plugin-example</artifactId>\\s*<version>([^<]+)<"));
        Path jar = dir.resolve("theta-plugin-example.jar");
        directoryJar(classes, jar, manifest);
        return jar;
    }

    static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pomValue(String pom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException(PLUGIN_PROJECT.resolve("pom.xml") + ": no match for " + regex);
        }
        return m.group(1).trim();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }

    private static void directoryJar(Path dir, Path jar, Manifest manifest) throws IOException {
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
