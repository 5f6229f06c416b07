package dev.theta.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Datasets a program hands over in memory, offered to the config as the dataset plugin {@value #NAME}: its option
 * {@code slot} (train, validation or test) picks one, so splits, standardisation and provenance work as for files.
 */
public final class InMemoryDataModule extends AbstractModule {
    public static final String NAME = "in-memory";
    private final Map<String, Dataset> slots;

    /** {@code slots}: "train" and, when given, "validation" and "test". */
    public InMemoryDataModule(Map<String, Dataset> slots) {
        this.slots = Map.copyOf(slots);
    }

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, DatasetProvider.class).addBinding(NAME).toInstance(new Provider(slots));
    }

    private record Provider(Map<String, Dataset> slots) implements DatasetProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "data handed over by the program embedding theta";
        }

        @Override
        public OptionSchema options() {
            return OptionSchema.of(Option.choice("slot", "train", List.of("train", "validation", "test"), "which of the data given in code"));
        }

        @Override
        public Dataset load(Options options, Path baseDir) {
            return slots.get(options.getString("slot"));
        }
    }
}
