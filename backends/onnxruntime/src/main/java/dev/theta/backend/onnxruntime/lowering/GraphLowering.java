package dev.theta.backend.onnxruntime.lowering;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.Concat;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.Expand;
import dev.theta.api.ops.EyeLike;
import dev.theta.api.ops.Gather;
import dev.theta.api.ops.GatherElements;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.LogSoftmax;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.OneHot;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.Slice;
import dev.theta.api.ops.Transpose;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.Where;
import dev.theta.api.ops.Window;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX backend's row of the primitive table: appends one ONNX node (plus constant operands) per theta node to a
 * {@link GraphProto}, switched exhaustively over the sealed {@code Op}. Only nodes that the requested roots depend on
 * are lowered.
 *
 * <p>Targets for ONNX opset {@value #OPSET} (ReduceSum takes axes as an input, ReduceMax/ReduceMean as an attribute)
 * and IR version {@value #IR_VERSION}; ONNX Runtime 1.29 and ONNX's checker accept both.
 *
 * <p>With a concrete batch size every shape is static. With batch 0 the batch stays symbolic: Reshape and Expand
 * targets that contain k·N are built at run time from the batch size read off a bound input's shape.
 */
public final class GraphLowering {
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;

    private final GraphProto.Builder out;
    private final String prefix;
    private final int batch;
    private final Map<Value, String> names = new HashMap<>();
    private final List<Value> bound = new ArrayList<>();
    private String batchDim;
    private int fresh;

    /**
     * @param prefix makes generated names unique when several lowerings share one model (a Loop body)
     * @param batch the concrete batch size, or 0 to keep it symbolic
     */
    public GraphLowering(GraphProto.Builder out, String prefix, int batch) {
        this.out = out;
        this.prefix = prefix;
        this.batch = batch;
    }

    /** Makes {@code value} (normally an {@link Input}) available under the ONNX name {@code name}. */
    public void bind(Value value, String name) {
        names.put(value, name);
        bound.add(value);
    }

    /** Lowers every node the roots depend on; afterwards {@link #name} gives each root's ONNX name. */
    public void lower(Graph graph, Collection<Value> roots) {
        Set<Value> needed = new HashSet<>();
        Deque<Value> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (!names.containsKey(v) && needed.add(v)) {
                todo.addAll(v.inputs());
            }
        }
        for (Value v : graph.nodes()) {
            if (needed.contains(v)) {
                names.put(v, emit(v));
            }
        }
    }

    public String name(Value v) {
        String n = names.get(v);
        if (n == null) {
            throw new IllegalStateException("value %" + v.id() + " was not lowered");
        }
        return n;
    }

    /** Appends {@code opType} over {@code inputs} with one fresh output and returns that output's name. */
    public String node(String opType, List<String> inputs, AttributeProto... attributes) {
        String result = prefix + opType + "_" + fresh++;
        out.addNode(NodeProto.newBuilder().setOpType(opType).setName(result).addAllInput(inputs).addOutput(result)
                .addAllAttribute(Arrays.asList(attributes)));
        return result;
    }

    /** Appends an Identity node so that {@code value} is also known as {@code name} (graph outputs). */
    public void alias(String value, String name) {
        out.addNode(NodeProto.newBuilder().setOpType("Identity").setName(prefix + "alias_" + fresh++).addInput(value)
                .addOutput(name));
    }

    /** Appends a Constant node holding {@code value}. */
    public String constant(Tensor value) {
        String name = prefix + "const_" + fresh++;
        TensorProto t = OnnxTypes.tensor(name, value);
        out.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t)));
        return name;
    }

    private String int64s(long... values) {
        return constant(Tensor.of(Shape.of(values.length), values));
    }

    private String emit(Value v) {
        List<String> in = v.inputs().stream().map(this::name).toList();
        return switch (v.op()) {
            case Input i -> throw new IllegalStateException("graph input '" + i.name() + "' is not bound");
            case Constant c -> constant(c.value());
            case Unary u -> node(u.fn().onnxName(), in);
            case Binary b -> node(b.fn().onnxName(), in);
            case Compare c -> node(c.fn().onnxName(), in);
            case Where w -> node("Where", in);
            case Reduce r -> reduce(r, in.get(0));
            case LogSoftmax l -> node("LogSoftmax", in, attr("axis", l.axis()));
            case MatMul m -> node("MatMul", in);
            case Gather g -> node("Gather", in, attr("axis", 0));
            case GatherElements g -> node("GatherElements", in, attr("axis", g.axis()));
            case OneHot h -> node("OneHot", List.of(in.get(0), int64s(h.depth()), constant(Tensor.of(Shape.of(2), 0f, 1f))),
                    attr("axis", -1));
            case EyeLike e -> node("EyeLike", in, attr("dtype", OnnxTypes.dataType(DType.FLOAT32).getNumber()));
            case Transpose t -> node("Transpose", in, attr("perm", t.perm()));
            case Reshape r -> node("Reshape", List.of(in.get(0), shapeTensor(r.target(), true)));
            case Expand e -> node("Expand", List.of(in.get(0), shapeTensor(e.target(), false)));
            case Concat c -> node("Concat", in, attr("axis", c.axis()));
            case Slice s -> node("Slice", List.of(in.get(0), int64s(s.start()), int64s(s.end()), int64s(s.axis())));
            case Cast c -> node("Cast", in, attr("to", OnnxTypes.dataType(c.to()).getNumber()));
            case Size s -> node("Size", in);
            case Conv c -> node("Conv", in, attr("strides", c.window().strides()), attr("pads", c.window().pads()),
                    attr("dilations", c.window().dilations()), attr("group", c.group()));
            case ConvTranspose c -> node("ConvTranspose", in, attr("strides", c.window().strides()),
                    attr("pads", c.window().pads()), attr("dilations", c.window().dilations()), attr("group", c.group()),
                    attr("output_padding", new int[] {c.outputPadH(), c.outputPadW()}));
            case MaxPool p -> maxPool(p, in.get(0));
            case AveragePool p -> node("AveragePool", in, attr("kernel_shape", new int[] {p.kernelH(), p.kernelW()}),
                    attr("strides", p.window().strides()), attr("pads", p.window().pads()),
                    attr("count_include_pad", p.countIncludePad() ? 1 : 0));
            case ScatterElements s -> node("ScatterElements", in, attr("axis", s.axis()), attr("reduction", "add"));
            case RandomBits r -> randomBits(r, in.get(0), in.get(1));
        };
    }

    /**
     * {@link RandomBits} as its definition, in int64 Add, Mul, Div and Mod of non-negative numbers below 2^63 (so
     * ONNX Runtime computes exactly what Java does): the element indices are Range(0, Size) in the input's Shape.
     */
    private String randomBits(RandomBits r, String x, String counter) {
        String range = int64(RandomBits.RANGE);
        String indices = node("Reshape", List.of(node("Range", List.of(int64(0), node("Size", List.of(x)), int64(1))),
                node("Shape", List.of(x))));
        String key = permute(node("Mod", List.of(counter, range)), int64(r.stream()), range);
        return permute(indices, key, range);
    }

    private String permute(String x, String key, String range) {
        String k = key;
        for (int round = 0; round < RandomBits.ROUNDS; round++) {
            x = node("Mod", List.of(node("Add", List.of(x, k)), range));
            String twiceAndOne = node("Add", List.of(node("Add", List.of(x, x)), int64(1)));
            x = node("Mod", List.of(node("Mul", List.of(x, twiceAndOne)), range));
            int rotation = RandomBits.ROTATIONS[round];
            String high = node("Div", List.of(x, int64(1L << rotation)));
            String low = node("Mod", List.of(x, int64(1L << rotation)));
            x = node("Add", List.of(high, node("Mul", List.of(low, int64(1L << (RandomBits.BITS - rotation))))));
            if (round + 1 < RandomBits.ROUNDS) {
                k = node("Mod", List.of(node("Add", List.of(k, int64(RandomBits.WEYL))), range));
            }
        }
        return x;
    }

    /** An int64 scalar constant (it broadcasts against any shape, a scalar too). */
    private String int64(long value) {
        return constant(Tensor.of(Shape.SCALAR, value));
    }

    /** MaxPool's values, or its second output (the argmax positions) with the values left unread. */
    private String maxPool(MaxPool p, String x) {
        Window w = p.window();
        AttributeProto[] attributes = {attr("kernel_shape", new int[] {p.kernelH(), p.kernelW()}),
                attr("strides", w.strides()), attr("pads", w.pads()), attr("dilations", w.dilations())};
        if (!p.indices()) {
            return node("MaxPool", List.of(x), attributes);
        }
        String result = prefix + "MaxPoolIndices_" + fresh++;
        out.addNode(NodeProto.newBuilder().setOpType("MaxPool").setName(result).addInput(x)
                .addOutput(result + "_values").addOutput(result).addAllAttribute(Arrays.asList(attributes)));
        return result;
    }

    private String reduce(Reduce r, String x) {
        AttributeProto keep = attr("keepdims", r.keepDims() ? 1 : 0);
        if (r.fn() == ReduceFn.SUM) {
            return node("ReduceSum", List.of(x, int64s(Arrays.stream(r.axes()).asLongStream().toArray())), keep);
        }
        return node(r.fn().onnxName(), List.of(x), attr("axes", r.axes()), keep);
    }

    /** An int64 shape operand for Reshape or Expand; symbolic dims need the batch size at run time. */
    private String shapeTensor(Shape target, boolean reshape) {
        if (batch > 0 || !target.hasBatch()) {
            return int64s(Arrays.stream(target.resolve(Math.max(batch, 1)).dims()).asLongStream().toArray());
        }
        int[] dims = target.dims();
        if (reshape && target.symbolicDims() == 1) {
            return int64s(Arrays.stream(dims).asLongStream().map(d -> d < 0 ? -1 : d).toArray());
        }
        List<String> parts = new ArrayList<>();
        for (int d : dims) {
            parts.add(d > 0 ? int64s(d) : d == Shape.BATCH ? batchDim() : node("Mul", List.of(batchDim(), int64s(-d))));
        }
        return node("Concat", parts, attr("axis", 0));
    }

    /** The batch size as an int64 [1] tensor, read once from the shape of the first bound input with k·N. */
    private String batchDim() {
        if (batchDim == null) {
            for (Value v : bound) {
                int[] dims = v.shape().dims();
                for (int a = 0; a < dims.length && batchDim == null; a++) {
                    if (dims[a] < 0) {
                        String dim = node("Shape", List.of(names.get(v)), attr("start", a), attr("end", a + 1));
                        batchDim = dims[a] == Shape.BATCH ? dim : node("Div", List.of(dim, int64s(-dims[a])));
                    }
                }
                if (batchDim != null) {
                    break;
                }
            }
            if (batchDim == null) {
                throw new IllegalArgumentException("the graph uses the batch size but no input has a batch dimension");
            }
        }
        return batchDim;
    }

    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attr(String name, int[] values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto attr(String name, GraphProto graph) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(graph).build();
    }
}
