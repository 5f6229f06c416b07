package dev.theta.tasks.clip;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.Arrays;
import java.util.Map;

/**
 * The towers compiled on a theta backend for one batch size; a last, partial batch is padded (with zeros: blank
 * images, empty captions) and the padding's embeddings are dropped.
 */
public final class BackendTowers implements Towers {
    private final Executable image;
    private final Executable text;
    private final int batch;
    private final int imageSize;
    private final int maxTokens;

    public BackendTowers(Backend backend, DualEncoder model, Map<String, Tensor> parameters, int batch) {
        this.batch = batch;
        this.imageSize = model.imageSize();
        this.maxTokens = model.maxTokens();
        this.image = compile(backend, TowerGraphs.image(model, parameters), batch);
        Executable t;
        try {
            t = compile(backend, TowerGraphs.text(model, parameters), batch);
        } catch (RuntimeException e) {
            image.close();
            throw e;
        }
        this.text = t;
    }

    private static Executable compile(Backend backend, Graph g, int batch) {
        Executable e = backend.compile(g, batch);
        g.initialValues().forEach((name, value) -> e.input(name).copyFrom(value));
        return e;
    }

    @Override
    public float[] images(float[] pixels, int n) {
        return embed(image, n, (x, from, count) -> {
            float[] dst = x.floats();
            System.arraycopy(pixels, from * imageSize, dst, 0, count * imageSize);
            Arrays.fill(dst, count * imageSize, dst.length, 0f);
        });
    }

    @Override
    public float[] texts(long[] tokens, int n) {
        return embed(text, n, (x, from, count) -> {
            long[] dst = x.longs();
            System.arraycopy(tokens, from * maxTokens, dst, 0, count * maxTokens);
            Arrays.fill(dst, count * maxTokens, dst.length, 0L);
        });
    }

    private interface Fill {
        void into(Tensor x, int from, int count);
    }

    private float[] embed(Executable exec, int n, Fill fill) {
        float[] out = null;
        int dim = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            fill.into(exec.input(TrainingProgram.FEATURES), from, count);
            exec.run();
            float[] e = exec.output(TowerGraphs.EMBEDDING).floats();
            if (out == null) {
                dim = e.length / batch;
                out = new float[n * dim];
            }
            System.arraycopy(e, 0, out, from * dim, count * dim);
        }
        return out == null ? new float[0] : out;
    }

    @Override
    public void close() {
        image.close();
        text.close();
    }
}
