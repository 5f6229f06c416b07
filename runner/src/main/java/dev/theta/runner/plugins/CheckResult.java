package dev.theta.runner.plugins;

/** One row of {@code theta check}: a named check and how it went. */
public record CheckResult(String check, Status status, String detail) {
    public enum Status { PASS, FAIL, SKIP }

    public static CheckResult pass(String check, String detail) {
        return new CheckResult(check, Status.PASS, detail);
    }

    public static CheckResult fail(String check, String detail) {
        return new CheckResult(check, Status.FAIL, detail);
    }

    public static CheckResult skip(String check, String detail) {
        return new CheckResult(check, Status.SKIP, detail);
    }

    /** Runs {@code body}; an exception is a failure whose detail is the exception's message. */
    public static CheckResult run(String check, java.util.function.Supplier<String> body) {
        try {
            return pass(check, body.get());
        } catch (RuntimeException | AssertionError | LinkageError e) {
            String m = e.getMessage();
            return fail(check, e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
        }
    }

    public boolean failed() {
        return status == Status.FAIL;
    }
}
