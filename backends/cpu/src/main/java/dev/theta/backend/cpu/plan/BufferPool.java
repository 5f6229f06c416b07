package dev.theta.backend.cpu.plan;

import dev.theta.api.tensor.DType;
import dev.theta.backend.cpu.kernels.Buf;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slots for intermediate values, reused once a value is dead. Planning happens before any array exists: a slot
 * records the largest value it ever holds, and {@link #allocate} sizes the arrays at the end. A request takes the
 * smallest free slot of its element kind that fits, else grows the largest free one, else opens a new slot.
 */
final class BufferPool {
    private final Map<Buf, int[]> capacity = new IdentityHashMap<>();
    private final List<Buf> free = new ArrayList<>();

    Buf acquire(DType dtype, int size) {
        boolean integer = dtype == DType.INT64;
        Buf best = null;
        Buf largest = null;
        for (Buf b : free) {
            if (b.isInteger() != integer) {
                continue;
            }
            int cap = capacity.get(b)[0];
            if (cap >= size && (best == null || cap < capacity.get(best)[0])) {
                best = b;
            }
            if (largest == null || cap > capacity.get(largest)[0]) {
                largest = b;
            }
        }
        Buf chosen = best != null ? best : largest;
        if (chosen == null) {
            chosen = Buf.pending(dtype);
            capacity.put(chosen, new int[] {0});
        } else {
            free.remove(chosen);
        }
        int[] cap = capacity.get(chosen);
        cap[0] = Math.max(cap[0], size);
        return chosen;
    }

    boolean owns(Buf b) {
        return capacity.containsKey(b);
    }

    void release(Buf b) {
        if (owns(b) && !free.contains(b)) {
            free.add(b);
        }
    }

    /** Creates the arrays; returns the total number of elements held by intermediates. */
    long allocate() {
        long total = 0;
        for (Map.Entry<Buf, int[]> e : capacity.entrySet()) {
            e.getKey().allocate(e.getValue()[0]);
            total += e.getValue()[0];
        }
        return total;
    }

    int slots() {
        return capacity.size();
    }
}
