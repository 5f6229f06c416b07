package dev.theta.runner.cli;

import dev.theta.core.ExitCode;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizer parameter groups from a config file: the run's config.yaml means the same run, and a bad glob is located. */
class ParameterGroupsRunTest {
    @TempDir
    Path dir;

    private static final String OPTIMIZER = """
            optimizer:
              name: adamw
              lr: 0.01
              weight-decay: 0.1
            """;
    private static final String GROUPS = """
              groups:
                - params: [%s]
                  weight-decay: 0.0
                  lr: 0.02
            """;

    /** The synthetic run with AdamW, and a group of the parameters {@code globs} unless that is null. */
    private Path config(String globs) throws IOException {
        Path config = Runs.config(dir, 120, "train: {epochs: 2, batch-size: 16}\n");
        String body = Files.readString(config).replace("optimizer: {name: sgd, lr: 0.05, momentum: 0.9}\n",
                OPTIMIZER + (globs == null ? "" : GROUPS.formatted(globs)));
        Files.writeString(config, body);
        return config;
    }

    @Test
    void theResolvedConfigKeepsTheGroupsAndTrainsTheSameParameters() throws IOException {
        Runs.Result first = Runs.theta("train", config("'b'").toString(), "--out", dir.resolve("a").toString());
        assertEquals(0, first.code(), first.err());
        String resolved = Files.readString(dir.resolve("a/config.yaml"));
        assertTrue(resolved.contains("groups:"), resolved);
        // The resolved config names the data relative to the config it came from: read it from there.
        Path again = Files.writeString(dir.resolve("again.yaml"), resolved);
        Runs.Result second = Runs.theta("train", again.toString(), "--out", dir.resolve("b").toString());
        assertEquals(0, second.code(), second.err());
        assertEquals(resolved, Files.readString(dir.resolve("b/config.yaml")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/parameters.npz")), Files.readAllBytes(dir.resolve("b/parameters.npz")));

        Runs.Result plain = Runs.theta("train", config(null).toString(), "--out", dir.resolve("c").toString());
        assertEquals(0, plain.code(), plain.err());
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("a/parameters.npz")), Files.readAllBytes(dir.resolve("c/parameters.npz"))),
                "the group changes the training");
    }

    @Test
    void aGlobThatMatchesNoParameterIsAConfigErrorAtItsLine() throws IOException {
        Runs.Result r = Runs.theta("train", config("'b', '*.bias'").toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
        assertTrue(r.err().contains("run.yaml:14: optimizer.groups[0].params[1] = '*.bias': matches no parameter;"
                + " the parameters are W, b"), r.err());
    }
}
