package dev.theta.runner.cli;

import dev.theta.core.training.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar with ETA, examples/s and running loss, drawn on stderr (me.tongfei:progressbar). */
public final class TerminalProgress implements Progress {
    private final PrintStream out;
    private ProgressBar bar;
    private long started;

    public TerminalProgress() {
        this(System.err);
    }

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void startEpoch(String label, long steps) {
        bar = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(100)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .showSpeed()
                .setEtaFunction(state -> java.util.Optional.of(state.getTotalElapsed().multipliedBy(
                        Math.max(0, state.getMax() - state.getCurrent())).dividedBy(Math.max(1, state.getCurrent()))))
                .build();
        started = System.nanoTime();
    }

    @Override
    public void step(double loss, long examples) {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        bar.step();
        // The bar ends with its own speed ("18.0/s"): the message needs its own leading space.
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %.0f ex/s", loss, examples / seconds));
    }

    @Override
    public void endEpoch() {
        bar.close();
    }
}
