package dev.theta.runner.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalProgressTest {
    @Test
    void theSpeedAndTheLossAreSeparateWords() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        progress.startEpoch("epoch 1/3", 4);
        for (int i = 0; i < 4; i++) {
            progress.step(0.5 - i * 0.1, 32L * (i + 1));
        }
        progress.endEpoch();
        String text = bytes.toString(StandardCharsets.UTF_8);
        String last = text.substring(text.lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("epoch 1/3 100%"), last);
        assertTrue(Pattern.compile("4/4 \\(.*\\) ([0-9.]+|\\?)/s loss 0\\.2000, [0-9]+ ex/s$").matcher(last).find(), last);
    }
}
