package dev.theta.api.options;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionSchemaTest {
    private static final OptionSchema ADAM = OptionSchema.of(
            Option.number("lr", 0.001, Range.POSITIVE, "learning rate"),
            Option.numberList("betas", List.of(0.9, 0.999), Range.UNIT_HALF_OPEN, "moment decay rates"),
            Option.integer("warmup", 0, Range.atLeast(0), "warm-up steps"),
            Option.bool("amsgrad", false, "use the maximum of past second moments"),
            Option.choice("schedule", "constant", List.of("constant", "cosine", "step"), "learning-rate schedule"),
            Option.number("epsilon", null, Range.POSITIVE, "added to the denominator"));

    private static OptionException reject(Map<String, ?> raw) {
        return assertThrows(OptionException.class, () -> ADAM.validate(raw, "optimizer", Set.of("name")));
    }

    private static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text.contains(p), "expected '" + p + "' in: " + text);
        }
    }

    @Test
    void fillsDefaultsAndConverts() {
        Options o = ADAM.validate(Map.of("name", "adam", "epsilon", 1, "betas", List.of(0.5, 0.75)), "optimizer", Set.of("name"));
        assertEquals(1.0, o.getDouble("epsilon"));
        assertEquals(0.001, o.getDouble("lr"));
        assertEquals(List.of(0.5, 0.75), o.getList("betas"));
        assertEquals(0, o.getInt("warmup"));
        assertEquals("constant", o.getString("schedule"));
        assertEquals("optimizer", o.prefix());
    }

    @Test
    void listElementOutOfRangeNamesItsPathTheRangeAndTheValue() {
        OptionException e = reject(Map.of("epsilon", 1e-8, "betas", List.of(0.9, 1.5)));
        assertEquals("optimizer.betas[1]", e.path());
        assertContains(e.getMessage(), "optimizer.betas[1]", "must be in [0, 1)", "1.5");
    }

    @Test
    void integersMustFitAnIntNotJustTheirRange() {
        for (long big : new long[] {3_000_000_000L, 2_147_483_648L}) {
            OptionException e = reject(Map.of("epsilon", 1e-8, "warmup", big));
            assertEquals("optimizer.warmup", e.path());
            assertContains(e.getMessage(), Long.toString(big), "at most 2147483647");
        }
        assertEquals(Integer.MAX_VALUE, ADAM.validate(Map.of("epsilon", 1e-8, "warmup", (long) Integer.MAX_VALUE), "optimizer",
                Set.of()).getInt("warmup"));
    }

    @Test
    void rangeEndIsExcludedWhereOpen() {
        OptionException e = reject(Map.of("epsilon", 1e-8, "betas", List.of(0.9, 1.0)));
        assertEquals("optimizer.betas[1]", e.path());
        assertContains(e.getMessage(), "must be in [0, 1)", "1");
        OptionException lr = reject(Map.of("epsilon", 1e-8, "lr", -0.1));
        assertEquals("optimizer.lr", lr.path());
        assertContains(lr.getMessage(), "must be in (0, inf)", "-0.1");
    }

    @Test
    void wrongTypes() {
        assertContains(reject(Map.of("epsilon", 1e-8, "warmup", 2.5)).getMessage(), "optimizer.warmup", "integer", "2.5");
        assertContains(reject(Map.of("epsilon", 1e-8, "lr", "fast")).getMessage(), "optimizer.lr", "number", "'fast'");
        assertContains(reject(Map.of("epsilon", 1e-8, "amsgrad", "yes")).getMessage(), "optimizer.amsgrad", "true or false");
        assertContains(reject(Map.of("epsilon", 1e-8, "betas", 0.9)).getMessage(), "optimizer.betas", "list of numbers");
    }

    @Test
    void listOptionsKeepTheirElementsForThePluginToCheck() {
        OptionSchema schema = OptionSchema.of(Option.list("layers", List.of("relu"), "layers in order"));
        List<?> layers = List.of(Map.of("conv", 8), "relu");
        assertEquals(layers, schema.validate(Map.of("layers", layers), "hypothesis", Set.of()).getItems("layers"));
        assertEquals(List.of("relu"), schema.validate(Map.of(), "hypothesis", Set.of()).getItems("layers"));
        OptionException e = assertThrows(OptionException.class,
                () -> schema.validate(Map.of("layers", "relu"), "hypothesis", Set.of()));
        assertContains(e.getMessage(), "hypothesis.layers", "expected a list");
    }

    @Test
    void unknownOptionSuggestsTheNearest() {
        OptionException e = reject(Map.of("epsilon", 1e-8, "bettas", List.of(0.9)));
        assertEquals("optimizer.bettas", e.path());
        assertContains(e.getMessage(), "unknown option", "did you mean 'betas'?", "lr, betas, warmup");
    }

    @Test
    void badChoiceSuggestsTheNearest() {
        OptionException e = reject(Map.of("epsilon", 1e-8, "schedule", "cosin"));
        assertEquals("optimizer.schedule", e.path());
        assertContains(e.getMessage(), "constant, cosine, step", "'cosin'", "did you mean 'cosine'?");
    }

    @Test
    void missingRequiredOptionSaysWhatItIs() {
        OptionException e = reject(Map.of());
        assertEquals("optimizer.epsilon", e.path());
        assertContains(e.getMessage(), "required", "added to the denominator");
    }
}
