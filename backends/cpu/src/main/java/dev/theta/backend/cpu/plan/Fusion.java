package dev.theta.backend.cpu.plan;

import dev.theta.api.graph.Value;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.Where;
import dev.theta.api.tensor.DType;
import dev.theta.backend.cpu.kernels.Strides;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Groups elementwise float ops into clusters that run as one tiled loop. A member computes a full-size value (its
 * element count S) from operands that are full-size or scalars; a node joins the cluster of a full-size argument.
 * Each cluster runs where its last member stood in the schedule, so a node may join only if nothing scheduled since
 * the cluster's first member, outside it, reads the cluster (directly or through other nodes). Values computed at
 * compile time are left alone.
 *
 * <p>The result is the schedule as units: a single node, or a cluster's members in schedule order.
 */
final class Fusion {
    /** The schedule as units, each a list of nodes run by one kernel (several only for a fused cluster). */
    final List<List<Value>> units = new ArrayList<>();
    /** For members of fused clusters: whether the value is read outside its cluster or is a graph output. */
    private final boolean[] external;

    Fusion(Schedule schedule, Function<Value, int[]> dims, Collection<Value> outputs) {
        List<Value> live = schedule.live;
        int n = schedule.args.length;
        boolean[] constant = new boolean[n];
        long[] size = new long[n];
        int[] position = new int[n];
        BitSet[] ancestors = new BitSet[n];
        List<BitSet> clusters = new ArrayList<>();
        int[] cluster = new int[n];
        Arrays.fill(cluster, -1);

        for (int p = 0; p < live.size(); p++) {
            Value v = live.get(p);
            int id = v.id();
            Value[] args = schedule.args[id];
            position[id] = p;
            size[id] = Strides.size(dims.apply(v));
            constant[id] = !schedule.replaced(id) && isConstant(v, args, constant);
            BitSet anc = new BitSet(n);
            for (Value a : args) {
                anc.or(ancestors[a.id()]);
                anc.set(a.id());
            }
            ancestors[id] = anc;
            if (constant[id] || schedule.softmax[id] != null || schedule.replaced(id) || !fusable(v, args, size)) {
                continue;
            }
            BitSet joined = new BitSet(n);
            joined.set(id);
            for (Value a : args) {
                int c = cluster[a.id()];
                if (c >= 0 && size[a.id()] == size[id] && !clusters.get(c).get(id)) {
                    BitSet tried = (BitSet) joined.clone();
                    tried.or(clusters.get(c));
                    if (legal(tried, p, live, ancestors)) {
                        joined = tried;
                    }
                }
            }
            int c = clusters.size();
            clusters.add(joined);
            for (int m = joined.nextSetBit(0); m >= 0; m = joined.nextSetBit(m + 1)) {
                cluster[m] = c;
            }
        }

        external = new boolean[n];
        for (Value out : outputs) {
            external[out.id()] = true;
        }
        for (Value v : live) {
            for (Value a : schedule.args[v.id()]) {
                if (cluster[a.id()] < 0 || cluster[a.id()] != cluster[v.id()]) {
                    external[a.id()] = true;
                }
            }
        }
        // A cluster is emitted at its last member; members are collected in schedule order.
        int[] last = new int[clusters.size()];
        for (Value v : live) {
            if (cluster[v.id()] >= 0) {
                last[cluster[v.id()]] = position[v.id()];
            }
        }
        List<List<Value>> members = new ArrayList<>();
        for (int c = 0; c < clusters.size(); c++) {
            members.add(new ArrayList<>());
        }
        for (Value v : live) {
            int c = cluster[v.id()];
            if (c < 0 || clusters.get(c).cardinality() == 1) {
                units.add(List.of(v));
                continue;
            }
            members.get(c).add(v);
            if (position[v.id()] == last[c]) {
                units.add(List.copyOf(members.get(c)));
            }
        }
    }

    /** Whether a fused member's value needs a slot: it is read outside its cluster or is a graph output. */
    boolean external(Value v) {
        return external[v.id()];
    }

    /** No node outside {@code members}, scheduled from the cluster's first member up to position {@code p}, reads it. */
    private static boolean legal(BitSet members, int p, List<Value> live, BitSet[] ancestors) {
        int first = Integer.MAX_VALUE;
        for (int q = 0; q < p; q++) {
            if (members.get(live.get(q).id())) {
                first = q;
                break;
            }
        }
        for (int q = first + 1; q < p; q++) {
            int id = live.get(q).id();
            if (!members.get(id) && ancestors[id].intersects(members)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isConstant(Value v, Value[] args, boolean[] constant) {
        return switch (v.op()) {
            case Constant c -> true;
            case Size s -> true;
            case Input i -> false;
            case MatMul m -> false;
            case Conv c -> false;
            case ConvTranspose c -> false;
            case Reshape r -> constant[args[0].id()];
            default -> {
                boolean all = args.length > 0;
                for (Value a : args) {
                    all &= constant[a.id()];
                }
                yield all;
            }
        };
    }

    /** An elementwise op on float storage whose operands are its own size or scalars. */
    private static boolean fusable(Value v, Value[] args, long[] size) {
        boolean elementwise = switch (v.op()) {
            case Unary u -> true;
            case Binary b -> true;
            case Compare c -> true;
            case Where w -> true;
            case Cast c -> true;
            default -> false;
        };
        if (!elementwise || v.type().dtype() == DType.INT64 || size[v.id()] < 2) {
            return false;
        }
        for (Value a : args) {
            if (a.type().dtype() == DType.INT64 || (size[a.id()] != size[v.id()] && size[a.id()] != 1)) {
                return false;
            }
        }
        return true;
    }
}
