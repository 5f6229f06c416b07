package dev.theta.core.engine;

import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.core.config.RunConfig;
import dev.theta.core.config.RunConfig.PluginChoice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The engine {@code distributed.engine} names, with its validated options; {@link #LOCAL} (no engine) runs the
 * steps in the training loop itself.
 */
public record ChosenEngine(StepEngine engine, Options options) {
    public static final ChosenEngine LOCAL = new ChosenEngine(null, null);

    public boolean isLocal() {
        return engine == null;
    }

    /** The engine of {@code choice} (null: local) among those {@code loader} finds. */
    public static ChosenEngine of(PluginChoice choice, ClassLoader loader) {
        if (choice == null) {
            return LOCAL;
        }
        List<String> known = new ArrayList<>(List.of(RunConfig.LOCAL_ENGINE));
        for (StepEngine e : ServiceLoader.load(StepEngine.class, loader)) {
            if (e.name().equals(choice.name())) {
                Options options = choice.validate(e.options());
                e.check(options);
                return new ChosenEngine(e, options);
            }
            known.add(e.name());
        }
        String hint = choice.name().equals("spark")
                ? "theta-spark is not on the classpath: build its jars with ./build package -DskipTests -pl distributed/spark -am;"
                + " ./theta then adds them when the config asks for engine spark"
                : "known engines: " + String.join(", ", known);
        throw new OptionException("distributed.engine", choice.name(), "unknown engine; " + hint);
    }

    /** The {@code distributed} section as the resolved config writes it; null for the local engine. */
    public Map<String, Object> asMap() {
        if (isLocal()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine.name());
        options.asMap().forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        return m;
    }
}
