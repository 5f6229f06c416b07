package dev.theta.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code events.jsonl}: one JSON object per line for programs that follow a run — start, resume, epoch,
 * checkpoint, early_stop, diverged, interrupted, end. Each has {@code event} and {@code time} (ISO-8601).
 */
public final class EventLog {
    public static final String FILE = "events.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunDirectory runDirectory;

    public EventLog(RunDirectory runDirectory) {
        this.runDirectory = runDirectory;
    }

    /** Appends event {@code name} with {@code fields} (alternating keys and values). */
    public synchronized void append(String name, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", name);
        line.put("time", Instant.now().toString());
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object v = fields[i + 1];
            line.put((String) fields[i], v instanceof Double d && !Double.isFinite(d) ? null : v);
        }
        try {
            runDirectory.append(FILE, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw runDirectory.writeFailed(FILE, e);
        }
    }
}
