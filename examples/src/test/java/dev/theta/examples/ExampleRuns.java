package dev.theta.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.runner.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs an example config through the real command line and reads back its metrics. */
final class ExampleRuns {
    private ExampleRuns() {
    }

    /** Trains {@code config} (relative to the examples folder) into {@code out}; returns the metrics lines. */
    static List<JsonNode> train(String config, Path out, String... overrides) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", config, "--out", out.toString()));
        for (String o : overrides) {
            args.add("--set");
            args.add(o);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    /** The metrics of the given split in the last epoch. */
    static JsonNode last(List<JsonNode> lines, String split) {
        JsonNode found = null;
        for (JsonNode l : lines) {
            if (l.get("split").asText().equals(split)) {
                found = l;
            }
        }
        return found;
    }

    /** The metrics of {@code split} at the epoch whose model run {@code out} kept (its event log's selected epoch). */
    static JsonNode selected(List<JsonNode> lines, Path out, String split) throws IOException {
        ObjectMapper json = new ObjectMapper();
        int epoch = -1;
        for (String line : Files.readAllLines(out.resolve("events.jsonl"))) {
            JsonNode event = json.readTree(line);
            if (event.get("event").asText().equals("end")) {
                epoch = event.get("selected_epoch").asInt();
            }
        }
        for (JsonNode l : lines) {
            if (l.get("split").asText().equals(split) && l.get("epoch").asInt() == epoch) {
                return l;
            }
        }
        throw new AssertionError("no " + split + " metrics for the kept epoch " + epoch + " in " + out);
    }
}
