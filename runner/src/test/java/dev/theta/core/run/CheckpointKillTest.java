package dev.theta.core.run;

import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bar: a kill during a checkpoint write never leaves a checkpoint that cannot be loaded. A child JVM writes
 * checkpoints of about 5 MB back to back; it is killed with SIGKILL at random moments, ten times, and after every
 * kill every checkpoint file present must load completely, and the newest must be the newest step written.
 */
class CheckpointKillTest {
    @TempDir
    Path dir;

    @Test
    void killingAtRandomMomentsNeverLeavesAnUnloadableCheckpoint() throws Exception {
        Random random = new Random(1234);
        Path runDir = Files.createDirectories(dir.resolve("run"));
        CheckpointStore store = new CheckpointStore(new RunDirectory(runDir, true));
        long previous = 0;
        for (int kill = 0; kill < 10; kill++) {
            Path log = dir.resolve("child-" + kill + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CheckpointWriterLoop.class.getName(), runDir.toString()));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Wait for this child's first new checkpoint, then let it write for a random while.
            long before = previous;
            long deadline = System.nanoTime() + 60_000_000_000L;
            // One listing per check: the writer deletes old checkpoints while this test reads the folder.
            for (List<String> now = store.list(); now.isEmpty() || step(now.get(now.size() - 1)) <= before; now = store.list()) {
                assertTrue(child.isAlive(), () -> "writer died: " + read(log));
                assertTrue(System.nanoTime() < deadline, "writer made no checkpoint");
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(300));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));

            List<String> files = store.list();
            assertFalse(files.isEmpty());
            assertTrue(files.size() <= 3, "keeps the last 2 (plus at most one written before pruning): " + files);
            for (String f : files) {
                Checkpoint c = CheckpointStore.read(runDir.resolve(f));
                assertEquals(c.step(), (long) c.carried().get("param/W").floats()[12345], "content of " + f);
            }
            Checkpoint latest = store.latest().orElseThrow();
            assertEquals(step(files.get(files.size() - 1)), latest.step());
            assertTrue(latest.step() > previous);
            previous = latest.step();
        }
    }

    private static long step(String file) {
        return Long.parseLong(file.substring(file.lastIndexOf('/') + 1).replaceAll("\\D", ""));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
