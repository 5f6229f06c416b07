package dev.theta.core.architecture;

import dev.theta.runner.Main;

/** A test fixture: a library class with the forbidden arrow to the command line, which ArchitectureTest must catch. */
public final class CoreCallingTheCommandLine {
    private CoreCallingTheCommandLine() {
    }

    public static int run() {
        return Main.run(new String[] {"--version"}, System.err);
    }
}
