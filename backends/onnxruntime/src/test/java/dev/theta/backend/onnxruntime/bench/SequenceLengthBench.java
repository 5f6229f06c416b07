package dev.theta.backend.onnxruntime.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.SequenceHypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.hypotheses.Transformer;
import dev.theta.losses.CrossEntropy;
import dev.theta.optimizers.Sgd;

import java.nio.LongBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What the symbolic sequence length saves when sampling: nanoGPT's CPU recipe model (4 layers, 4 heads, embedding
 * 128, block 64, 65 characters, random parameters) exported twice, with input [1, T] and with the fixed [1, 64] that
 * a padded window needs, timed in ONNX Runtime's CPU provider in one invocation, pair by pair: one call at each T
 * against one fixed call, and the 300 calls of sampling 300 characters after a 6-character prompt. Run with
 * {@code java -cp <test classpath> dev.theta.backend.onnxruntime.bench.SequenceLengthBench [threads]}.
 */
public final class SequenceLengthBench {
    private static final int V = 65;
    private static final int BLOCK = 64;

    private SequenceLengthBench() {
    }

    public static void main(String[] args) throws OrtException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        DataSpec data = spec(BLOCK);
        Transformer provider = new Transformer();
        Options options = provider.options().validate(Map.of("layers", 4, "heads", 4, "embedding", 128, "bias", false),
                "hypothesis", List.of());
        SequenceHypothesis h = (SequenceHypothesis) provider.create(options, data, V);
        CrossEntropy loss = new CrossEntropy();
        Sgd sgd = new Sgd();
        Map<String, Tensor> parameters = TrainingProgram.build(data, h,
                loss.create(loss.options().validate(Map.of(), "loss", List.of()), data),
                sgd.create(sgd.options().validate(Map.of(), "optimizer", List.of())), 1).initialParameters();
        ModelProto fixed = OnnxExporter.model(new ExportRequest(
                TrainingProgram.predictGraph(data, h, parameters), Decision.NONE, Map.of()));
        ModelProto symbolic = OnnxExporter.model(new ExportRequest(TrainingProgram.predictGraph(data, h, parameters),
                Decision.NONE, Map.of(), new ExportRequest.Lengths(BLOCK,
                t -> TrainingProgram.predictGraph(spec(t), h.atLength(t), parameters))));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            try (OrtSession f = env.createSession(fixed.toByteArray(), so);
                 OrtSession s = env.createSession(symbolic.toByteArray(), so)) {
                for (int warm = 0; warm < 50; warm++) {
                    call(f, BLOCK);
                    call(s, 1 + warm % BLOCK);
                }
                System.out.printf(Locale.ROOT, "threads %d; ms per call, symbolic [1, T] / fixed [1, %d]%n", threads, BLOCK);
                for (int round = 0; round < 3; round++) {
                    for (int t : new int[] {1, 8, 32, 64}) {
                        double a = time(s, t, 100);
                        double b = time(f, BLOCK, 100);
                        System.out.printf(Locale.ROOT, "round %d  T %2d  symbolic %.3f  fixed %.3f  ratio %.3f%n",
                                round, t, a, b, a / b);
                    }
                    long start = System.nanoTime();
                    for (int i = 0; i < 300; i++) {
                        call(s, Math.min(6 + i, BLOCK));
                    }
                    double a = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    for (int i = 0; i < 300; i++) {
                        call(f, BLOCK);
                    }
                    double b = (System.nanoTime() - start) / 1e6;
                    System.out.printf(Locale.ROOT, "round %d  300 tokens after 6  symbolic %.1f ms  fixed %.1f ms  ratio %.3f%n",
                            round, a, b, a / b);
                }
            }
        }
    }

    private static double time(OrtSession session, int t, int calls) throws OrtException {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            call(session, t);
        }
        return (System.nanoTime() - start) / 1e6 / calls;
    }

    private static void call(OrtSession session, int t) throws OrtException {
        long[] ids = IntStream.range(0, t).mapToLong(i -> i % V).toArray();
        try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), LongBuffer.wrap(ids), new long[] {1, t});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, x))) {
            r.get(0);
        }
    }

    private static DataSpec spec(int t) {
        List<String> names = IntStream.range(0, V).mapToObj(i -> "c" + i).toList();
        return new DataSpec(Shape.of(t), DType.INT64, V, names, Shape.of(t));
    }
}
