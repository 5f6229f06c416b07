package dev.theta.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code steps.csv}: one row per optimizer step ({@code step,epoch,loss,lr}: the minibatch's mean loss and the
 * learning rate it was trained with; and {@code grad_norm}, the global gradient norm before clipping, in a run that
 * clips it), for per-step loss curves. Rows are buffered and appended when a checkpoint is
 * written, so the file never runs far ahead of the newest checkpoint; a resumed run first drops the rows past its
 * checkpoint, then appends the same rows again.
 */
public final class StepLog {
    public static final String FILE = "steps.csv";
    private final RunDirectory runDirectory;
    private final boolean gradNorm;
    private final String header;
    private final StringBuilder pending = new StringBuilder();
    private boolean started;

    /** {@code gradNorm}: the rows have a {@code grad_norm} column. */
    public StepLog(RunDirectory runDirectory, boolean gradNorm) {
        this.runDirectory = runDirectory;
        this.gradNorm = gradNorm;
        this.header = gradNorm ? "step,epoch,loss,lr,grad_norm\n" : "step,epoch,loss,lr\n";
    }

    /** Records one step; {@code norm} is ignored unless the log has a {@code grad_norm} column. */
    public void step(long step, int epoch, double loss, double lr, double norm) {
        if (!runDirectory.isInMemory()) {
            // StringBuilder's own float and double printing: shortest exact digits, and ~50x cheaper per step than
            // String.format's %g, which made a logged epoch of softmax regression measurably slower.
            pending.append(step).append(',').append(epoch).append(',').append((float) loss).append(',').append(lr);
            if (gradNorm) {
                pending.append(',').append((float) norm);
            }
            pending.append('\n');
        }
    }

    /** Appends the buffered rows (the file and its header are created by the first). */
    public void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        runDirectory.append(FILE, ((started ? "" : header) + pending).getBytes(StandardCharsets.UTF_8));
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
        runDirectory.writeAtomically(FILE, (header + String.join("", kept.stream().map(l -> l + "\n").toList()))
                .getBytes(StandardCharsets.UTF_8));
        started = true;
    }
}
