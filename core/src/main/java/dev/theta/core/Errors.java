package dev.theta.core;

import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;

/** Error plumbing shared by the commands. */
public final class Errors {
    private Errors() {
    }

    /** Guice wraps what provider methods and constructors throw; the user needs the original. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (true) {
            Throwable cause = null;
            if (t instanceof ProvisionException p) {
                cause = firstCause(p.getErrorMessages());
            } else if (t instanceof CreationException c) {
                cause = firstCause(c.getErrorMessages());
            }
            if (cause == null) {
                return t;
            }
            t = cause;
        }
    }

    private static Throwable firstCause(Iterable<Message> messages) {
        for (Message m : messages) {
            if (m.getCause() != null) {
                return m.getCause();
            }
        }
        return null;
    }
}
