package dev.theta.losses;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionType;
import dev.theta.api.spi.LossProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What every loss provider shares: discovery, a documented schema and the {@code reduction} option. */
class LossProvidersTest {
    static Stream<LossProvider> providers() {
        return ServiceLoader.load(LossProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @Test
    void everyLossIsDiscovered() {
        assertEquals(List.of("cross-entropy", "logistic", "hinge", "squared-hinge", "exponential", "multiclass-hinge",
                "squared-error", "zero-one", "clip"), providers().map(LossProvider::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void hasAReductionOptionDefaultingToMean(LossProvider provider) {
        Option reduction = provider.options().get("reduction");
        assertEquals(OptionType.CHOICE, reduction.type());
        assertEquals("mean", reduction.defaultValue());
        assertEquals(List.of("mean", "sum", "none"), reduction.choices());
        assertEquals("mean", provider.options().validate(Map.of(), "loss", List.of()).getString("reduction"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void documentsEveryOption(LossProvider provider) {
        assertFalse(provider.description().isBlank());
        for (Option o : provider.options().options()) {
            assertFalse(o.doc().isBlank(), o.name());
            assertFalse(o.required(), o.name() + " has a default");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void refusesAnUnknownReduction(LossProvider provider) {
        OptionException e = assertThrows(OptionException.class,
                () -> provider.options().validate(Map.of("reduction", "average"), "loss", List.of()));
        assertEquals("loss.reduction = 'average': expected one of mean, sum, none", e.getMessage());
    }
}
