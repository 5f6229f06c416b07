package dev.theta.runner.cli;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.OnnxModel;
import dev.theta.tasks.text.TextGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small character model trained on a short text, then sampled with theta generate from its model.onnx. */
class GenerateCommandTest {
    private static final String LINE = "The sun rises in the east; the quick brown fox jumps over the lazy dog.\n";

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() throws IOException {
        Files.writeString(dir.resolve("text.txt"), LINE.repeat(60));
        Path config = dir.resolve("text.yaml");
        Files.writeString(config, """
                name: generate
                data:
                  train: {name: text, path: text.txt, context: 4, split: train}
                  test:  {name: text, path: text.txt, context: 4, split: validation}
                hypothesis: {name: ngram-mlp, embedding: 8, hidden: [64]}
                loss: {name: cross-entropy}
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 4, batch-size: 32}
                """);
        Path run = dir.resolve("run");
        assertEquals(0, ModelCommandsTest.theta(new ByteArrayOutputStream(), "train", config.toString(), "--out", run.toString()));
        model = run.resolve("model.onnx");
    }

    private static String generate(String... args) {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command).parseArgs(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, command.call());
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsThePromptAndTheSampledCharactersTheSameForTheSameSeed() {
        String[] args = {model.toString(), "--prompt", "The sun rises in the", "--tokens", "200", "--temperature", "0.8", "--seed", "1"};
        String first = generate(args);
        assertTrue(first.startsWith("The sun rises in the"), first);
        assertEquals("The sun rises in the".length() + 200 + System.lineSeparator().length(), first.length(), first);
        assertEquals(first, generate(args));
        args[args.length - 1] = "2";
        assertNotEquals(first, generate(args));
    }

    @Test
    void aTrainedModelContinuesItsText() {
        String greedy = generate(model.toString(), "--prompt", "the lazy", "--tokens", "40", "--temperature", "0");
        assertTrue(greedy.startsWith("the lazy dog.\nThe sun rises in the "), greedy);
    }

    @Test
    void aPromptShorterThanTheContextIsLeftPadded() {
        String fromNothing = generate(model.toString(), "--tokens", "9", "--seed", "3");
        assertEquals(9 + System.lineSeparator().length(), fromNothing.length(), fromNothing);
        assertEquals(fromNothing, generate(model.toString(), "--tokens", "9", "--seed", "3"));
        assertTrue(generate(model.toString(), "--prompt", "a", "--tokens", "3").startsWith("a"));
    }

    @Test
    void promptCharactersOutsideTheVocabularyAreADataError() {
        try (OnnxModel m = OnnxModel.open(model)) {
            TextGenerator generator = TextGenerator.of(m, model.toString());
            assertEquals(4, generator.context());
            UserError e = assertThrows(UserError.class, () -> generator.generate("the Zebra", 5, 1, 1));
            assertEquals(ExitCode.DATA, e.exitCode());
            assertTrue(e.getMessage().contains("character 'Z' (U+005A) at position 5 is not in the model's vocabulary"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingModelIsADataError() {
        UserError e = assertThrows(UserError.class, () -> generate(dir.resolve("missing.onnx").toString()));
        assertEquals(ExitCode.DATA, e.exitCode());
    }
}
