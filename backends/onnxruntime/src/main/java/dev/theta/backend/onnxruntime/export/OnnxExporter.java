package dev.theta.backend.onnxruntime.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Exporter;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.onnxruntime.lowering.GraphLowering;
import dev.theta.backend.onnxruntime.lowering.OnnxModels;
import dev.theta.backend.onnxruntime.lowering.OnnxTypes;
import dev.theta.backend.onnxruntime.saved.ParameterChecksum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the prediction graph as a standalone ONNX model (opset {@value GraphLowering#OPSET}, IR version
 * {@value GraphLowering#IR_VERSION}): input {@value #INPUT} with a dynamic batch dimension
 * {@value OnnxTypes#BATCH_PARAM}, the trained parameters as initializers, and outputs {@value #SCORES},
 * {@value #PROBABILITIES} (softmax over the classes for {@link Decision#ARGMAX}, sigmoid for {@link Decision#SIGN}) and
 * {@value #LABEL} (int64 [N]). With {@link Decision#NONE} there are no labels: the model's outputs are the graph's
 * outputs under their own names ({@value #SCORES} for regression and similarity scores, {@code embedding} for an
 * encoder tower). The request's metadata becomes the model's {@code metadata_props}. A request with
 * {@link ExportRequest.Lengths} (a sequence model) gets input [N, T], T symbolic up to the maximum that metadata
 * {@value ExportRequest#MAX_LENGTH} gives (see {@link SequenceLengthExport}).
 */
public final class OnnxExporter implements Exporter {
    public static final String INPUT = "input";
    public static final String SCORES = "scores";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABEL = "label";
    /** The prediction graph's feature input, renamed to {@value #INPUT}. */
    private static final String FEATURES = TrainingProgram.FEATURES;

    @Override
    public String fileName() {
        return "model.onnx";
    }

    @Override
    public void export(ExportRequest request, Path file) throws IOException {
        byte[] bytes = model(request).toByteArray();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The model {@link #export} writes. */
    public static ModelProto model(ExportRequest request) {
        ExportRequest.Lengths lengths = request.lengths();
        boolean symbolicLength = lengths != null && lengths.max() >= SequenceLengthExport.SHORTEST_MAX;
        GraphProto graph = symbolicLength
                ? SequenceLengthExport.graph(lengths.max(), t -> graph(lengths.predictAt().apply(t), request.decision()))
                : graph(request.predict(), request.decision());
        ModelProto.Builder model = OnnxModels.model(graph).toBuilder().setDocString("theta prediction model");
        request.metadata().forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        if (symbolicLength) {
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(ExportRequest.MAX_LENGTH)
                    .setValue(Integer.toString(lengths.max())));
        }
        model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(ParameterChecksum.KEY).setValue(ParameterChecksum.of(graph)));
        return model.build();
    }

    private static GraphProto graph(Graph predict, Decision decision) {
        boolean labels = decision != Decision.NONE;
        if (!predict.inputs().containsKey(FEATURES) || predict.outputs().isEmpty()
                || labels && !predict.outputs().containsKey(SCORES)) {
            throw new IllegalArgumentException("the prediction graph needs input '" + FEATURES + "' and output '"
                    + SCORES + "'" + (labels ? "" : " (or other outputs, without labels)") + "; it has "
                    + predict.inputs().keySet() + " and " + predict.outputs().keySet());
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("theta_predict");
        GraphLowering lowering = new GraphLowering(g, "", 0);
        for (Map.Entry<String, Value> e : predict.inputs().entrySet()) {
            String name = e.getKey();
            if (name.equals(FEATURES)) {
                g.addInput(OnnxTypes.valueInfo(INPUT, e.getValue().type()));
                lowering.bind(e.getValue(), INPUT);
                continue;
            }
            Tensor trained = predict.initialValues().get(name);
            if (trained == null) {
                throw new IllegalArgumentException("prediction graph input '" + name + "' has no trained value");
            }
            g.addInitializer(OnnxTypes.tensor(name, trained));
            lowering.bind(e.getValue(), name);
        }
        if (labels) {
            addLabelOutputs(g, lowering, predict, decision);
        } else {
            lowering.lower(predict, List.copyOf(predict.outputs().values()));
            for (Map.Entry<String, Value> out : predict.outputs().entrySet()) {
                lowering.alias(lowering.name(out.getValue()), out.getKey());
                g.addOutput(OnnxTypes.valueInfo(out.getKey(), out.getValue().type()));
            }
        }
        return g.build();
    }

    /** Outputs {@value #SCORES}, {@value #PROBABILITIES} and {@value #LABEL} for an argmax or sign decision. */
    private static void addLabelOutputs(GraphProto.Builder g, GraphLowering lowering, Graph predict, Decision decision) {
        Value scores = predict.outputs().get(SCORES);
        lowering.lower(predict, List.of(scores));
        String s = lowering.name(scores);
        TensorType scoreType = scores.type();
        int rank = scoreType.shape().rank();
        String probabilities;
        String label;
        if (decision == Decision.ARGMAX) {
            if (rank < 2) {
                throw new IllegalArgumentException("argmax decisions need scores [N, classes] (or [N, T, classes]"
                        + " for a class per position), got " + scoreType);
            }
            // Classes are the last axis; a sequence model's [N, T, V] gets a label per position, [N, T].
            probabilities = lowering.node("Softmax", List.of(s), GraphLowering.attr("axis", rank - 1));
            label = lowering.node("ArgMax", List.of(s), GraphLowering.attr("axis", rank - 1), GraphLowering.attr("keepdims", 0));
        } else {
            probabilities = lowering.node("Sigmoid", List.of(s));
            String flat = lowering.node("Reshape", List.of(s, lowering.constant(Tensor.of(Shape.of(1), -1L))));
            String positive = lowering.node("Greater", List.of(flat, lowering.constant(Tensor.scalar(0f))));
            label = lowering.node("Cast", List.of(positive), GraphLowering.attr("to", OnnxTypes.dataType(DType.INT64).getNumber()));
        }
        lowering.alias(s, SCORES);
        lowering.alias(probabilities, PROBABILITIES);
        lowering.alias(label, LABEL);
        g.addOutput(OnnxTypes.valueInfo(SCORES, scoreType));
        g.addOutput(OnnxTypes.valueInfo(PROBABILITIES, scoreType));
        int[] labelDims = decision == Decision.ARGMAX
                ? Arrays.copyOf(scoreType.shape().dims(), rank - 1) : new int[] {Shape.BATCH};
        g.addOutput(OnnxTypes.valueInfo(LABEL, new TensorType(DType.INT64, Shape.of(labelDims))));
    }
}
