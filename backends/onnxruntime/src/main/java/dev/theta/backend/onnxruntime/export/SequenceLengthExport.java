package dev.theta.backend.onnxruntime.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.theta.backend.onnxruntime.lowering.GraphLowering;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The export of a sequence model whose input is [N, T] with T symbolic ({@value #LENGTH_PARAM}), 1 ≤ T ≤ max.
 * theta's shapes have one symbolic axis, the batch, so a prediction graph has a fixed length; this pass lowers it at
 * lengths L = max and L − 1 and generalises the difference. The two lowerings must have the same nodes and
 * initializers, differing only in Constant values and in input and output dims (a hypothesis whose graph has the same
 * nodes for every length: {@code SequenceHypothesis}). Where an int64 constant (a Reshape target, a Slice bound)
 * differs, each element that differs is a·T + b, computed at run time from the input's {@code Shape}; where a
 * constant's dims differ (a causal mask [T, T]), the shorter must be the longer's leading block, and the model slices
 * the longest one to the actual T. A third lowering, at L − 2 when that is at least 2, checks both rules on a length
 * they were not derived from.
 */
final class SequenceLengthExport {
    /** The name of the symbolic sequence dimension. */
    static final String LENGTH_PARAM = "T";
    /** The smallest maximum with a second length to compare (a maximum of 1 is a fixed length). */
    static final int SHORTEST_MAX = 2;
    private static final String PREFIX = "length/";

    private final int max;
    private final GraphProto longest;
    private final GraphProto shorter;
    private final GraphProto check;
    private final List<NodeProto> nodes = new ArrayList<>();
    private String length;
    private int fresh;

    private SequenceLengthExport(int max, GraphProto longest, GraphProto shorter, GraphProto check) {
        this.max = max;
        this.longest = longest;
        this.shorter = shorter;
        this.check = check;
    }

    /** The graph for every length 1 ≤ T ≤ {@code max}, from {@code lowerAt(T)}, the graph lowered at a fixed T. */
    static GraphProto graph(int max, IntFunction<GraphProto> lowerAt) {
        GraphProto check = max - 2 >= SHORTEST_MAX ? lowerAt.apply(max - 2) : null;
        return new SequenceLengthExport(max, lowerAt.apply(max), lowerAt.apply(max - 1), check).build();
    }

    private GraphProto build() {
        if (!longest.getInitializerList().equals(shorter.getInitializerList())
                || check != null && !longest.getInitializerList().equals(check.getInitializerList())) {
            throw structure("its parameters (initializers)");
        }
        if (longest.getNodeCount() != shorter.getNodeCount() || check != null && longest.getNodeCount() != check.getNodeCount()) {
            throw structure("its number of nodes (" + longest.getNodeCount() + " at length " + max + ", "
                    + shorter.getNodeCount() + " at " + (max - 1) + ")");
        }
        GraphProto.Builder g = longest.toBuilder().clearNode().clearInput().clearOutput();
        for (int i = 0; i < longest.getInputCount(); i++) {
            g.addInput(valueInfo(longest.getInput(i), shorter.getInput(i), check == null ? null : check.getInput(i), true));
        }
        if (length == null) {
            throw structure("nothing: no input's shape depends on the length");
        }
        for (int i = 0; i < longest.getNodeCount(); i++) {
            node(longest.getNode(i), shorter.getNode(i), check == null ? null : check.getNode(i));
        }
        g.addAllNode(nodes);
        for (int i = 0; i < longest.getOutputCount(); i++) {
            g.addOutput(valueInfo(longest.getOutput(i), shorter.getOutput(i), check == null ? null : check.getOutput(i), false));
        }
        return g.build();
    }

    /**
     * A graph input or output: a dim that differs between the lowerings becomes T where it is T, else unnamed. The
     * first input dim that is T gives T at run time; an input dim that depends on the length other than as T is an
     * error.
     */
    private ValueInfoProto valueInfo(ValueInfoProto a, ValueInfoProto b, ValueInfoProto c, boolean input) {
        TensorShapeProto sa = a.getType().getTensorType().getShape();
        TensorShapeProto sb = b.getType().getTensorType().getShape();
        TensorShapeProto sc = c == null ? null : c.getType().getTensorType().getShape();
        if (!a.getName().equals(b.getName()) || sa.getDimCount() != sb.getDimCount()) {
            throw structure("its " + (input ? "input" : "output") + " '" + a.getName() + "'");
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int axis = 0; axis < sa.getDimCount(); axis++) {
            TensorShapeProto.Dimension da = sa.getDim(axis);
            if (da.equals(sb.getDim(axis))) {
                shape.addDim(da);
                continue;
            }
            String what = "dim " + axis + " of " + (input ? "input" : "output") + " '" + a.getName() + "'";
            Affine f = fit(da.getDimValue(), sb.getDim(axis).getDimValue(), sc == null ? null : sc.getDim(axis).getDimValue(), what);
            if (f.isLength()) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(LENGTH_PARAM));
                if (input && length == null) {
                    length = emit("Shape", List.of(a.getName()), GraphLowering.attr("start", axis), GraphLowering.attr("end", axis + 1));
                }
            } else if (input) {
                throw new IllegalArgumentException("the sequence model's " + what + " is " + f + ", not T; its"
                        + " export with a symbolic length needs an input [N, T]");
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder());
            }
        }
        ValueInfoProto.Builder v = a.toBuilder();
        v.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        return v.build();
    }

    private void node(NodeProto a, NodeProto b, NodeProto c) {
        boolean constant = a.getOpType().equals("Constant") && a.getAttributeCount() == 1
                && a.getAttribute(0).getName().equals("value");
        if (!constant) {
            if (!a.equals(b) || c != null && !a.equals(c)) {
                throw structure("node " + a.getName() + " (" + a.getOpType() + ")");
            }
            nodes.add(a);
            return;
        }
        if (!a.toBuilder().clearAttribute().build().equals(b.toBuilder().clearAttribute().build())
                || !b.getOpType().equals("Constant")) {
            throw structure("node " + a.getName());
        }
        TensorProto ta = a.getAttribute(0).getT();
        TensorProto tb = b.getAttribute(0).getT();
        TensorProto tc = c == null ? null : c.getAttribute(0).getT();
        if (ta.equals(tb) && (tc == null || ta.equals(tc))) {
            nodes.add(a);
        } else if (ta.getDimsList().equals(tb.getDimsList()) && ta.getDataType() == TensorProto.DataType.INT64_VALUE
                && ta.getDimsCount() <= 1) {
            sizes(a.getOutput(0), ta, tb, tc);
        } else if (ta.getDimsCount() == tb.getDimsCount() && ta.getDataType() == tb.getDataType()) {
            leadingBlock(a, ta, tb, tc);
        } else {
            throw new IllegalArgumentException("the sequence model's constant " + a.getName() + " changes with the"
                    + " length as neither sizes a·T + b nor a leading block of the longest one");
        }
    }

    /** An int64 scalar or vector of sizes, each element the same number or a·T + b at every length. */
    private void sizes(String name, TensorProto a, TensorProto b, TensorProto c) {
        long[] va = longs(a);
        long[] vb = longs(b);
        long[] vc = c == null ? null : longs(c);
        List<String> parts = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (int i = 0; i < va.length; i++) {
            if (va[i] == vb[i] && (vc == null || va[i] == vc[i])) {
                run.add(va[i]);
                continue;
            }
            if (!run.isEmpty()) {
                parts.add(int64s(run.stream().mapToLong(Long::longValue).toArray()));
                run.clear();
            }
            parts.add(affine(fit(va[i], vb[i], vc == null ? null : vc[i], "element " + i + " of constant " + name)));
        }
        if (!run.isEmpty()) {
            parts.add(int64s(run.stream().mapToLong(Long::longValue).toArray()));
        }
        if (a.getDimsCount() == 1) {
            nodes.add(node("Concat", parts, name, GraphLowering.attr("axis", 0)));
        } else {
            nodes.add(node("Reshape", List.of(emit("Concat", parts, GraphLowering.attr("axis", 0)), int64s()), name));
        }
    }

    /** A constant whose dims grow with T: the longest one, sliced to the dims at the actual T. */
    private void leadingBlock(NodeProto node, TensorProto a, TensorProto b, TensorProto c) {
        String name = node.getOutput(0);
        if (!isLeadingBlock(a, b) || c != null && !isLeadingBlock(a, c)) {
            throw new IllegalArgumentException("the sequence model's constant " + name + " is not, at length " + (max - 1)
                    + ", the leading block of its value at length " + max + "; it cannot be sliced to the length");
        }
        String full = name + "/longest";
        nodes.add(node.toBuilder().setName(full).setOutput(0, full).build());
        List<String> ends = new ArrayList<>();
        long[] zeros = new long[a.getDimsCount()];
        long[] axes = new long[a.getDimsCount()];
        for (int axis = 0; axis < a.getDimsCount(); axis++) {
            axes[axis] = axis;
            long da = a.getDims(axis);
            long db = b.getDims(axis);
            ends.add(da == db && (c == null || c.getDims(axis) == da) ? int64s(da)
                    : affine(fit(da, db, c == null ? null : c.getDims(axis), "dim " + axis + " of constant " + name)));
        }
        String end = emit("Concat", ends, GraphLowering.attr("axis", 0));
        nodes.add(node("Slice", List.of(full, int64s(zeros), end, int64s(axes)), name));
    }

    /** Whether every element of {@code small} is the element of {@code big} at the same index. */
    private static boolean isLeadingBlock(TensorProto big, TensorProto small) {
        int rank = big.getDimsCount();
        long[] bigDims = big.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long[] smallDims = small.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (int axis = 0; axis < rank; axis++) {
            if (smallDims[axis] > bigDims[axis]) {
                return false;
            }
            count *= smallDims[axis];
        }
        long bigCount = 1;
        for (long d : bigDims) {
            bigCount *= d;
        }
        ByteString bigData = big.getRawData();
        ByteString smallData = small.getRawData();
        if (bigCount == 0 || count == 0) {
            return count == 0;
        }
        int width = (int) (bigData.size() / bigCount);
        if (width == 0 || smallData.size() != count * width) {
            return false;
        }
        long[] index = new long[rank];
        for (long i = 0; i < count; i++) {
            long offset = 0;
            for (int axis = 0; axis < rank; axis++) {
                offset = offset * bigDims[axis] + index[axis];
            }
            if (!smallData.substring((int) (i * width), (int) ((i + 1) * width))
                    .equals(bigData.substring((int) (offset * width), (int) ((offset + 1) * width)))) {
                return false;
            }
            for (int axis = rank - 1; axis >= 0 && ++index[axis] == smallDims[axis]; axis--) {
                index[axis] = 0;
            }
        }
        return true;
    }

    private Affine fit(long atMax, long atShorter, Long atCheck, String what) {
        return Affine.of(atMax, atShorter, atCheck, what, max);
    }

    /** a·T + b as an int64 [1]. */
    private String affine(Affine f) {
        String x = length;
        if (f.slope() != 1) {
            x = emit("Mul", List.of(x, int64s(f.slope())));
        }
        return f.offset() == 0 ? x : emit("Add", List.of(x, int64s(f.offset())));
    }

    private String emit(String opType, List<String> inputs, AttributeProto... attributes) {
        String output = PREFIX + opType + "_" + fresh++;
        nodes.add(node(opType, inputs, output, attributes));
        return output;
    }

    private static NodeProto node(String opType, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(opType).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }

    private String int64s(long... values) {
        String name = PREFIX + "const_" + fresh++;
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        TensorProto t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(raw.array())).build();
        nodes.add(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t))
                .build());
        return name;
    }

    private static long[] longs(TensorProto t) {
        if (!t.getInt64DataList().isEmpty()) {
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        long[] values = new long[t.getRawData().size() / 8];
        t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
        return values;
    }

    private IllegalArgumentException structure(String what) {
        return new IllegalArgumentException("the sequence model's graph at length " + (max - 1) + " differs from its"
                + " graph at length " + max + " in " + what + ", not only in sizes; its hypothesis must build the same"
                + " nodes for every length to export with a symbolic length");
    }

    /** A size slope · T + offset, read off its values at lengths max and max − 1 and checked at max − 2. */
    private record Affine(long slope, long offset) {
        static Affine of(long atMax, long atShorter, Long atCheck, String what, int max) {
            long slope = atMax - atShorter;
            Affine f = new Affine(slope, atMax - slope * max);
            if (atCheck != null && atCheck != f.at(max - 2)) {
                throw new IllegalArgumentException("the sequence model's " + what + " is " + atMax + ", " + atShorter
                        + " and " + atCheck + " at lengths " + max + ", " + (max - 1) + " and " + (max - 2)
                        + ": not a·T + b, so it cannot follow a symbolic length");
            }
            return f;
        }

        long at(long t) {
            return slope * t + offset;
        }

        boolean isLength() {
            return slope == 1 && offset == 0;
        }

        @Override
        public String toString() {
            return (slope == 1 ? "" : slope + "·") + LENGTH_PARAM + (offset == 0 ? "" : (offset > 0 ? " + " : " − ") + Math.abs(offset));
        }
    }
}
