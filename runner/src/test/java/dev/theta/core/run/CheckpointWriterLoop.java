package dev.theta.core.run;

import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link CheckpointKillTest}: writes checkpoints of a few MB into the run directory {@code args[0]}
 * as fast as it can, forever, continuing the step numbering of the newest checkpoint there.
 */
public final class CheckpointWriterLoop {
    private CheckpointWriterLoop() {
    }

    public static void main(String[] args) throws Exception {
        RunDirectory dir = new RunDirectory(Path.of(args[0]), true);
        CheckpointStore store = new CheckpointStore(dir);
        long step = store.latest().map(Checkpoint::step).orElse(0L);
        while (true) {
            step++;
            float[] values = new float[1 << 20];
            java.util.Arrays.fill(values, step);
            Map<String, Tensor> carried = Map.of("param/W", Tensor.of(Shape.of(1024, 1024), values),
                    "opt/W/velocity", Tensor.of(Shape.of(1 << 18), new float[1 << 18]));
            store.write(new Checkpoint(1, (int) step, step, Checkpoint.PartialEpoch.EMPTY, 1, 1, false, "/data",
                    List.of(), carried), 2);
        }
    }
}
