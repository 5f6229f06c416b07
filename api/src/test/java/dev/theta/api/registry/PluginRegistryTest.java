package dev.theta.api.registry;

import dev.theta.api.spi.LossProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery from real jars: the fixture providers are copied into jars in a temp folder and loaded by a class
 * loader whose parent hides the copies on the test class path, so each provider's source is its jar.
 */
class PluginRegistryTest {
    private static final String FIXTURES = "dev.theta.api.registry.fixtures";
    private static final String SERVICE = "META-INF/services/" + LossProvider.class.getName();

    @TempDir
    Path dir;

    @Test
    void reportsDuplicatesAndBrokenProvidersWhileOthersLoad() throws IOException {
        Path a = jar("a.jar", "GoodLoss");
        Path b = jar("b.jar", "TwinLoss", "ThrowingLoss", "OtherLoss", "MissingLoss");
        try (URLClassLoader loader = loaderOver(a, b)) {
            PluginRegistry registry = PluginRegistry.discover(loader);

            LossProvider other = registry.get(PluginKind.LOSS, LossProvider.class, "other-loss");
            assertEquals(FIXTURES + ".OtherLoss", other.getClass().getName());
            assertEquals(List.of("other-loss"), registry.all(PluginKind.LOSS).stream().map(Registered::name).toList());
            assertEquals(b.toString(), registry.all(PluginKind.LOSS).get(0).source());

            assertEquals(3, registry.problems().size(), registry.problems().toString());
            PluginProblem twin = problem(registry, "TwinLoss");
            assertEquals("fixture", twin.name());
            assertContains(twin.message(), FIXTURES + ".GoodLoss in " + a, FIXTURES + ".TwinLoss in " + b);
            PluginException duplicate = assertThrows(PluginException.class,
                    () -> registry.get(PluginKind.LOSS, LossProvider.class, "fixture"));
            assertContains(duplicate.getMessage(), "two loss providers are named 'fixture'", a.toString(), b.toString());

            PluginProblem throwing = problem(registry, "ThrowingLoss");
            assertEquals(b.toString(), throwing.source());
            assertContains(throwing.toString(), FIXTURES + ".ThrowingLoss", b.toString(), "failed to load", "no GPU here");

            PluginProblem missing = problem(registry, "MissingLoss");
            assertEquals(b.toString(), missing.source());
            assertContains(missing.toString(), FIXTURES + ".MissingLoss", "failed to load");
        }
    }

    @Test
    void unknownNameSuggestsTheNearestAndListsTheKnown() throws IOException {
        try (URLClassLoader loader = loaderOver(jar("c.jar", "GoodLoss", "OtherLoss"))) {
            PluginRegistry registry = PluginRegistry.discover(loader);
            assertTrue(registry.problems().isEmpty(), registry.problems().toString());
            PluginException e = assertThrows(PluginException.class,
                    () -> registry.get(PluginKind.LOSS, LossProvider.class, "othr-loss"));
            assertContains(e.getMessage(), "unknown loss 'othr-loss'", "did you mean 'other-loss'?", "known: fixture, other-loss");
            PluginException none = assertThrows(PluginException.class,
                    () -> registry.get(PluginKind.OPTIMIZER, dev.theta.api.spi.OptimizerProvider.class, "sgd"));
            assertContains(none.getMessage(), "unknown optimizer 'sgd'", "known: none");
        }
    }

    private static PluginProblem problem(PluginRegistry registry, String simpleName) {
        return registry.problems().stream().filter(p -> p.className().equals(FIXTURES + "." + simpleName)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + simpleName + " in " + registry.problems()));
    }

    private static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text.contains(p), "expected '" + p + "' in: " + text);
        }
    }

    /** A jar with the named fixture classes (those that exist) and a services file listing all of them. */
    private Path jar(String name, String... classes) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            StringBuilder services = new StringBuilder("# test providers\n");
            for (String c : classes) {
                String resource = FIXTURES.replace('.', '/') + "/" + c + ".class";
                services.append(FIXTURES).append('.').append(c).append('\n');
                try (InputStream in = PluginRegistryTest.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in != null) {
                        out.putNextEntry(new JarEntry(resource));
                        in.transferTo(out);
                        out.closeEntry();
                    }
                }
            }
            out.putNextEntry(new JarEntry(SERVICE));
            out.write(services.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static URLClassLoader loaderOver(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, new HidingLoader(PluginRegistryTest.class.getClassLoader()));
    }

    /** Hides the fixture classes and all service declarations of the test class path. */
    private static final class HidingLoader extends ClassLoader {
        HidingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(FIXTURES + ".")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
