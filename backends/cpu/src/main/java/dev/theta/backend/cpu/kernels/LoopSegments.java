package dev.theta.backend.cpu.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a long fused chain into consecutive segments that {@link LoopGenerator} compiles as separate loops over one
 * tile of elements, so that each loop body stays small enough for C2 to unroll and vectorise. C2 unrolls a loop only
 * while its body is under {@code -XX:LoopUnrollLimit} nodes and vectorises only an unrolled loop: Adam's update with
 * its moments' flush (23 ops, 7 loads and stores) was one loop past that limit and ran scalar, 5.5 against 0.8 ns per
 * element with the limit raised (docs/benchmarks.md).
 *
 * <p>A segment starts where every register still to be read holds a value that is in a slot at the same element: one
 * the chain loaded (read again from its slot) or one it stored (read back from where it was stored). Every access of
 * every segment is then at the loop index, as in one loop. Registers passed through arrays of their own, indexed from
 * the tile's start, would keep C2 from vectorising at all: it cannot tell such an array from the slots, and at
 * another index it must assume they overlap.
 *
 * <p>Reading a loaded slot again after a store is only right where the stored array is not the loaded one;
 * {@link #distinct} lists the pairs that the caller checks before it runs the segments. Steps use
 * {@link FusedKernel}'s encoding: operands {@code >= 0} are registers, LOAD's operand and STORE's out are slots,
 * FILL's operand a scalar.
 */
final class LoopSegments {
    /** Steps (loads, stores, ops) past which a segment ends at the next clean cut: Adam's update in three loops. */
    static final int MAX_STEPS = 12;
    private static final int TEMPORARY = Integer.MIN_VALUE;

    /** First step of each segment, then the step count. */
    final int[] starts;
    /**
     * Per segment, the registers live at its start, with where each is read from: a slot, or the scalar
     * {@code -1 - s} that a FILL broadcast.
     */
    final int[][] reloads;
    final int[][] reloadSlots;
    /** Pairs (slot read again, slot stored before) whose arrays must differ for the segments to be right. */
    final int[][] distinct;

    LoopSegments(int[] kinds, int[][] args, int[] outs, int registerCount, int maxSteps) {
        int n = kinds.length;
        // Where each register's current value can be read again: a slot (>= 0), a scalar (-1 - s, a FILL's), or
        // TEMPORARY.
        int[] home = new int[registerCount];
        Arrays.fill(home, TEMPORARY);
        // Registers read at or after each step before being written again.
        boolean[][] liveBefore = liveness(kinds, args, outs, registerCount);
        List<Integer> cuts = new ArrayList<>(List.of(0));
        List<int[]> pairs = new ArrayList<>();
        List<Integer> stored = new ArrayList<>();
        List<int[]> segmentReloads = new ArrayList<>();
        List<int[]> segmentSlots = new ArrayList<>();
        List<Integer> pendingRegs = new ArrayList<>();
        List<Integer> pendingSlots = new ArrayList<>();
        int start = 0;
        for (int s = 0; s < n; s++) {
            if (s - start >= maxSteps && clean(liveBefore[s], home)) {
                List<Integer> regs = new ArrayList<>();
                List<Integer> from = new ArrayList<>();
                for (int r = 0; r < registerCount; r++) {
                    if (liveBefore[s][r]) {
                        regs.add(r);
                        from.add(home[r]);
                        if (home[r] >= 0) {
                            for (int st : stored) {
                                if (st != home[r]) {
                                    pairs.add(new int[] {home[r], st});
                                }
                            }
                        }
                    }
                }
                segmentReloads.add(pendingRegs.stream().mapToInt(Integer::intValue).toArray());
                segmentSlots.add(pendingSlots.stream().mapToInt(Integer::intValue).toArray());
                pendingRegs = regs;
                pendingSlots = from;
                cuts.add(s);
                start = s;
            }
            if (kinds[s] == FusedKernel.STORE) {
                home[args[s][0]] = outs[s];
                stored.add(outs[s]);
            } else if (kinds[s] == FusedKernel.LOAD || kinds[s] == FusedKernel.FILL) {
                home[outs[s]] = args[s][0];
            } else {
                home[outs[s]] = TEMPORARY;
            }
        }
        segmentReloads.add(pendingRegs.stream().mapToInt(Integer::intValue).toArray());
        segmentSlots.add(pendingSlots.stream().mapToInt(Integer::intValue).toArray());
        cuts.add(n);
        starts = cuts.stream().mapToInt(Integer::intValue).toArray();
        reloads = segmentReloads.toArray(int[][]::new);
        reloadSlots = segmentSlots.toArray(int[][]::new);
        distinct = pairs.stream().distinct().toArray(int[][]::new);
    }

    int count() {
        return starts.length - 1;
    }

    /** Whether every live register can be read again from a slot. */
    private static boolean clean(boolean[] live, int[] home) {
        for (int r = 0; r < live.length; r++) {
            if (live[r] && home[r] == TEMPORARY) {
                return false;
            }
        }
        return true;
    }

    /** live[s][r]: register r is read at some step ≥ s before any step ≥ s writes it. */
    private static boolean[][] liveness(int[] kinds, int[][] args, int[] outs, int registerCount) {
        int n = kinds.length;
        boolean[][] live = new boolean[n + 1][registerCount];
        for (int s = n - 1; s >= 0; s--) {
            live[s] = live[s + 1].clone();
            if (kinds[s] != FusedKernel.STORE) {
                live[s][outs[s]] = false;
            }
            if (kinds[s] != FusedKernel.LOAD && kinds[s] != FusedKernel.FILL) {
                for (int a : args[s]) {
                    if (a >= 0) {
                        live[s][a] = true;
                    }
                }
            }
        }
        return live;
    }
}
