package dev.theta.api.reference;

import dev.theta.api.ops.Op;
import dev.theta.api.reference.PrimitiveCase.Body;
import dev.theta.api.reference.PrimitiveCase.InputSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.theta.api.reference.CaseInputs.ANY;

/** Collects named, seeded primitive cases: unique names, sizes and data drawn from one {@link Random}. */
abstract class CaseTable {
    protected final Random random;
    private final List<PrimitiveCase> cases = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    protected CaseTable(Random random) {
        this.random = random;
    }

    protected List<PrimitiveCase> cases() {
        return List.copyOf(cases);
    }

    protected void add(String label, Class<? extends Op> op, Enum<?> row, String note, Body body, InputSpec... specs) {
        addCase(label, op, row, note, body, true, specs);
    }

    /** A case whose inputs sit on kinks or jumps on purpose; compared with backends but not with finite differences. */
    protected void addRough(String label, Class<? extends Op> op, Enum<?> row, String note, Body body, InputSpec... specs) {
        addCase(label, op, row, note, body, false, specs);
    }

    private void addCase(String label, Class<? extends Op> op, Enum<?> row, String note, Body body, boolean smooth,
                         InputSpec... specs) {
        int batch = 1 + random.nextInt(3);
        String signature = Arrays.stream(specs).map(s -> s.dtype() + s.shape().toString()).collect(Collectors.joining(", ", "(", ")"));
        String name = label + signature + (note.isEmpty() ? "" : " " + note) + " N=" + batch;
        for (int k = 2; !names.add(name); k++) {
            name = name.replaceFirst(" #\\d+$", "") + " #" + k;
        }
        cases.add(new PrimitiveCase(name, op, row, batch, List.of(specs), body, smooth, new Random(random.nextLong())));
    }

    /** A size in 2..4. */
    protected int dim() {
        return 2 + random.nextInt(3);
    }





    protected float[] floats(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ANY.draw(random);
        }
        return v;
    }

    protected long[] longs(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(7) - 3;
        }
        return v;
    }
}
