package dev.theta.runner.cli;

import java.io.Console;

/** Whether output goes to a person at a terminal (progress bars) or to a file or pipe (log lines). */
final class Terminal {
    private Terminal() {
    }

    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 a console exists even when redirected; isTerminal() tells (absent in the Java 21 API).
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
