package dev.theta.core.config;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** YAML a config may use beyond plain keys: anchors and aliases, merge keys; and numbers no long holds. */
class ConfigYamlTest {
    private static ConfigDocument parse(String text) {
        return ConfigDocument.parse(text, Path.of("run.yaml"), Path.of("."));
    }

    private static UserError refused(String text) {
        UserError e = assertThrows(UserError.class, () -> parse(text));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("[Source"), e.getMessage());
        return e;
    }

    @Test
    void anAliasIsTheAnchorsValueNotItsName() {
        ConfigDocument doc = parse("rate: &rate 0.05\noptimizer: {name: sgd, lr: *rate, momentum: *rate}\n"
                + "layers: &layers [64, 32]\nhypothesis: {name: mlp, hidden: *layers}\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> optimizer = (Map<String, Object>) doc.root().get("optimizer");
        assertEquals(0.05, optimizer.get("momentum"));
        assertEquals(0.05, optimizer.get("lr"));
        @SuppressWarnings("unchecked")
        Map<String, Object> hypothesis = (Map<String, Object>) doc.root().get("hypothesis");
        assertEquals(List.of(64L, 32L), hypothesis.get("hidden"));
        assertEquals("run.yaml:4", doc.locate("hypothesis.hidden"));
    }

    @Test
    void aMergeKeyAddsTheKeysTheMapDoesNotSet() {
        ConfigDocument doc = parse("base: &base {name: sgd, lr: 0.1, momentum: 0.9}\noptimizer:\n  <<: *base\n  lr: 0.01\n");
        assertEquals(Map.of("name", "sgd", "lr", 0.01, "momentum", 0.9), doc.root().get("optimizer"));
    }

    @Test
    void anUnknownAliasIsNamedWithItsLine() {
        String message = refused("seed: 1\noptimizer: {name: sgd, momentum: *rate}\n").getMessage();
        assertTrue(message.startsWith("run.yaml:2: "), message);
        assertTrue(message.contains("*rate"), message);
    }

    @Test
    void aliasesOfAliasesCannotExplode() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            String prev = "*" + (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [").append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
        }
        String message = refused(yaml.toString()).getMessage();
        assertTrue(message.contains("more than 1000000 values"), message);
    }

    @Test
    void anIntegerTooLargeForALongIsOneLine() {
        String message = refused("seed: 1\ntrain: {epochs: 99999999999999999999999}\n").getMessage();
        assertEquals("run.yaml:2: train.epochs = 99999999999999999999999 is too large for an integer (at most 9223372036854775807);"
                + " a real number is written like 1e20", message);
    }

    @Test
    void malformedYamlIsOneLineWithoutJacksonsSource() {
        String message = refused("seed: 1\ntrain: {epochs: [1, 2}\n").getMessage();
        assertTrue(message.startsWith("run.yaml:2: not valid YAML/JSON: "), message);
    }
}
