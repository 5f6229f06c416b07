package dev.theta.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code steps.csv}: one row per optimizer step ({@code step,epoch,loss,lr}: the minibatch's mean loss and the
 * learning rate it was trained with), for per-step loss curves. Rows are buffered and appended when a checkpoint is
 * written, so the file never runs far ahead of the newest checkpoint; a resumed run first drops the rows past its
 * checkpoint, then appends the same rows again.
 */
public final class StepLog {
    public static final String FILE = "steps.csv";
    private static final String HEADER = "step,epoch,loss,lr\n";

    private final RunDirectory runDirectory;
    private final StringBuilder pending = new StringBuilder();
    private boolean started;

    public StepLog(RunDirectory runDirectory) {
        this.runDirectory = runDirectory;
    }

    /** Records one step. */
    public void step(long step, int epoch, double loss, double lr) {
        if (!runDirectory.isInMemory()) {
            // StringBuilder's own float and double printing: shortest exact digits, and ~50x cheaper per step than
            // String.format's %g, which made a logged epoch of softmax regression measurably slower.
            pending.append(step).append(',').append(epoch).append(',').append((float) loss).append(',').append(lr).append('\n');
        }
    }

    /** Appends the buffered rows (the file and its header are created by the first). */
    public void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        runDirectory.append(FILE, ((started ? "" : HEADER) + pending).getBytes(StandardCharsets.UTF_8));
        started = true;
        pending.setLength(0);
    }

    /** Drops the rows after {@code step} (a resumed run's checkpoint), rewriting the file atomically. */
    public void truncateAfter(long step) throws IOException {
        var bytes = runDirectory.read(FILE);
        if (bytes.isEmpty()) {
            return;
        }
        String[] lines = new String(bytes.get(), StandardCharsets.UTF_8).split("\n");
        List<String> kept = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int comma = lines[i].indexOf(',');
            if (comma > 0 && Long.parseLong(lines[i].substring(0, comma)) <= step) {
                kept.add(lines[i]);
            }
        }
        runDirectory.writeAtomically(FILE, (HEADER + String.join("", kept.stream().map(l -> l + "\n").toList()))
                .getBytes(StandardCharsets.UTF_8));
        started = true;
    }
}
