package dev.theta.runner.cli;

import dev.theta.core.run.Provenance;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small things a user hits: who is blamed, what is suggested, what the last line says. */
class UserFacingTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedSetIsBlamedNotTheFile() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Runs.Result r = Runs.theta("train", config.toString(), "--set", "trian.epochs=3", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("theta: error: --set trian.epochs: "), r.err());
        assertTrue(r.err().contains("train"), "the nearest key is suggested: " + r.err());
    }

    @Test
    void aMistypedCommandSuggestsTheNearest() {
        Runs.Result r = Runs.theta("trian", "x.yaml");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("theta: unknown command 'trian' (did you mean 'train'?); commands: train, sweep"), r.err());
    }

    @Test
    void theLastLineCountsEpochsInEnglishAndTheVersionIsProvenances() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(out, "train", config.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("after 1 epoch;"), out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream version = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(version, "--version"));
        assertEquals("theta " + Provenance.thetaVersion(), version.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theLastLineOfARunInIterationsCountsIterations() throws IOException {
        Path config = Runs.config(dir, 90, "train: {max-iters: 40, eval-interval: 20, batch-size: 16}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(out, "train", config.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(" after 40 iterations;"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void builtInPluginsShowThetasVersion() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(out, "plugins"));
        String sgd = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("optimizer   sgd ")).findFirst().orElseThrow();
        assertTrue(sgd.matches("optimizer +sgd +built in +" + java.util.regex.Pattern.quote(Provenance.thetaVersion()) + " +.*"), sgd);
    }

    @Test
    void aSweepWhoseRunsAllFailedNamesNoBest() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 2}\nsweep: {metric: train.loss, grid: {data.train.path: [gone-a.csv, gone-b.csv]}}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelCommandsTest.theta(out, "sweep", config.toString(), "--out", dir.resolve("s").toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("none with a train.loss to rank by (every run failed)"), text);
        assertTrue(!text.contains("NaN"), text);
    }
}
