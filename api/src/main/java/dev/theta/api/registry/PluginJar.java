package dev.theta.api.registry;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * One plugin jar with its own class loader. The loader's parent is theta's class loader, so the theta API classes
 * are shared, with theta's own service declarations hidden, so that {@link java.util.ServiceLoader} over the loader
 * finds exactly the jar's providers.
 *
 * @param version       the manifest's {@code Implementation-Version}, or "-"
 * @param incompatibility null when the jar declares this theta's {@link PluginApi#VERSION}, otherwise why not
 */
public record PluginJar(Path path, URLClassLoader loader, String version, String incompatibility) implements AutoCloseable {

    /** Opens {@code jar}; fails with {@link ZipException} (or another I/O error) when it is not a readable jar. */
    public static PluginJar open(Path jar, ClassLoader theta) throws IOException {
        String version = "-";
        String declared = null;
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest != null) {
                Attributes main = manifest.getMainAttributes();
                version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION) == null ? "-" : main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
                declared = main.getValue(PluginApi.MANIFEST_ATTRIBUTE);
            }
        }
        URLClassLoader loader = new URLClassLoader("plugin " + jar.getFileName(), new URL[] {jar.toUri().toURL()},
                new HidingServices(theta));
        return new PluginJar(jar, loader, version, PluginApi.incompatibility(declared));
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    /** Delegates everything to theta's loader except service declarations. */
    private static final class HidingServices extends ClassLoader {
        HidingServices(ClassLoader theta) {
            super("theta without services", theta);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("META-INF/services/") ? null : super.getResource(name);
        }
    }
}
