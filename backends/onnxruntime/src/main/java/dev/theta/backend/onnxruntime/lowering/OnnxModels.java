package dev.theta.backend.onnxruntime.lowering;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whole ONNX models built from theta graphs: one run of a graph, or K runs of a training step inside an ONNX
 * {@code Loop} so that parameters and optimizer state stay inside ONNX Runtime between steps.
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    /** Wraps a graph into a model with theta's opset and IR version. */
    public static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(GraphLowering.IR_VERSION).setProducerName("theta")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(GraphLowering.OPSET))
                .setGraph(graph).build();
    }

    /**
     * One run of {@code graph}: ONNX inputs and outputs carry the theta names. {@code batch} is the concrete batch
     * size, or 0 for a symbolic batch dimension {@value OnnxTypes#BATCH_PARAM}.
     */
    public static ModelProto single(Graph graph, int batch) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("theta");
        GraphLowering lowering = new GraphLowering(g, "", batch);
        graph.inputs().forEach((name, v) -> {
            g.addInput(OnnxTypes.valueInfo(name, resolved(v.type(), batch)));
            lowering.bind(v, name);
        });
        lowering.lower(graph, graph.outputs().values());
        graph.outputs().forEach((name, v) -> {
            lowering.alias(lowering.name(v), name);
            g.addOutput(OnnxTypes.valueInfo(name, resolved(v.type(), batch)));
        });
        return model(g.build());
    }

    /**
     * {@code steps} runs of a graph with carries as one ONNX {@code Loop}. Carried inputs and outputs keep their
     * shapes and hold the values before the first and after the last step. Every other input and output gains a
     * leading axis of size {@code steps}: step i reads slice i of each such input and writes slice i of each such
     * output (minibatches, learning rates and step counters in; losses and scores out).
     */
    public static ModelProto loop(Graph graph, int batch, int steps) {
        Map<String, String> carries = graph.carries();
        List<String> carriedInputs = new ArrayList<>(carries.values());
        List<String> carriedOutputs = new ArrayList<>(carries.keySet());
        GraphProto.Builder main = GraphProto.newBuilder().setName("theta_steps");
        GraphProto.Builder body = GraphProto.newBuilder().setName("theta_step");
        GraphLowering outer = new GraphLowering(main, "", batch);
        GraphLowering inner = new GraphLowering(body, "step/", batch);

        body.addInput(OnnxTypes.valueInfo("step/iteration", new TensorType(DType.INT64, Shape.SCALAR)));
        body.addInput(OnnxTypes.valueInfo("step/cond", new TensorType(DType.BOOL, Shape.SCALAR)));
        graph.inputs().forEach((name, v) -> {
            TensorType t = resolved(v.type(), batch);
            if (carriedInputs.contains(name)) {
                main.addInput(OnnxTypes.valueInfo(name, t));
                return;
            }
            main.addInput(OnnxTypes.valueInfo(name, stacked(t, steps)));
            inner.bind(v, inner.node("Gather", List.of(name, "step/iteration"), GraphLowering.attr("axis", 0)));
        });
        for (String name : carriedInputs) {
            body.addInput(OnnxTypes.valueInfo("step/in/" + name, resolved(graph.inputs().get(name).type(), batch)));
            inner.bind(graph.inputs().get(name), "step/in/" + name);
        }
        inner.lower(graph, graph.outputs().values());

        inner.alias("step/cond", "step/cond_out");
        body.addOutput(OnnxTypes.valueInfo("step/cond_out", new TensorType(DType.BOOL, Shape.SCALAR)));
        List<String> loopOutputs = new ArrayList<>();
        for (String name : carriedOutputs) {
            addBodyOutput(inner, body, graph.outputs().get(name), name, batch);
            loopOutputs.add(name);
        }
        graph.outputs().forEach((name, v) -> {
            if (!carries.containsKey(name)) {
                addBodyOutput(inner, body, v, name, batch);
                loopOutputs.add(name);
            }
        });

        List<String> loopInputs = new ArrayList<>();
        loopInputs.add(outer.constant(Tensor.of(Shape.SCALAR, new long[] {steps})));
        loopInputs.add("");
        loopInputs.addAll(carriedInputs);
        main.addNode(NodeProto.newBuilder().setOpType("Loop").setName("steps").addAllInput(loopInputs)
                .addAllOutput(loopOutputs).addAttribute(GraphLowering.attr("body", body.build())));
        graph.outputs().forEach((name, v) -> {
            TensorType t = resolved(v.type(), batch);
            main.addOutput(OnnxTypes.valueInfo(name, carries.containsKey(name) ? t : stacked(t, steps)));
        });
        return model(main.build());
    }

    private static void addBodyOutput(GraphLowering inner, GraphProto.Builder body, Value v, String name, int batch) {
        inner.alias(inner.name(v), "step/out/" + name);
        body.addOutput(OnnxTypes.valueInfo("step/out/" + name, resolved(v.type(), batch)));
    }

    static TensorType resolved(TensorType t, int batch) {
        return batch > 0 ? t.withShape(t.shape().resolve(batch)) : t;
    }

    static TensorType stacked(TensorType t, int steps) {
        int[] dims = t.shape().dims();
        int[] out = new int[dims.length + 1];
        out[0] = steps;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return t.withShape(Shape.of(out));
    }
}
