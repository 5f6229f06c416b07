package dev.theta.runner;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * The JVM prints {@code WARNING: Using incubator modules} on standard error while it boots, before any Java code
 * runs, and no option turns that off. The {@code theta} launcher therefore boots the JVM with standard error going
 * through a filter that drops that line, and the real standard error on the descriptor {@code -Dtheta.stderr.fd}
 * names. As theta starts, this puts the real one back on descriptor 2 ({@code dup2}): from then on nothing goes
 * through the filter, a terminal stays a terminal, and every byte is written before the process exits.
 *
 * <p>The build targets Java 21, where the foreign-function API is a preview, hence reflection; where it fails,
 * standard error stays on the filter, which passes every other line on.
 */
final class LauncherStderr {
    static final String PROPERTY = "theta.stderr.fd";

    private LauncherStderr() {
    }

    static void restore() {
        String fd = System.getProperty(PROPERTY);
        if (fd == null) {
            return;
        }
        try {
            int saved = Integer.parseInt(fd);
            System.err.flush();
            if (call("dup2", saved, 2) == 2) {
                call("close", saved);
            }
        } catch (Throwable e) {
            // Standard error stays on the launcher's filter.
        }
    }

    /** Calls the C function {@code name(int...)} returning an int. */
    private static int call(String name, int... args) throws Throwable {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
        Object symbol = ((Optional<?>) Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class).invoke(lookup, name)).orElseThrow();
        Object intLayout = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
        Object argLayouts = Array.newInstance(layoutType, args.length);
        for (int i = 0; i < args.length; i++) {
            Array.set(argLayouts, i, intLayout);
        }
        Object descriptor = descriptorType.getMethod("of", layoutType, argLayouts.getClass()).invoke(null, intLayout, argLayouts);
        MethodHandle handle = (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType, optionType.arrayType())
                .invoke(linker, symbol, descriptor, Array.newInstance(optionType, 0));
        Object[] boxed = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            boxed[i] = args[i];
        }
        return (int) handle.invokeWithArguments(boxed);
    }
}
