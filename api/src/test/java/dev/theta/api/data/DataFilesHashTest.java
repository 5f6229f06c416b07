package dev.theta.api.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provenance hashes the bytes a dataset was read from, not the file as it is later. */
class DataFilesHashTest {
    @TempDir
    Path dir;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theHashIsOfTheBytesAsReadEvenWhenTheFileIsReplacedAfterwards() throws Exception {
        Path file = dir.resolve("data.csv");
        byte[] original = "1,2,0\n3,4,1\n".repeat(20_000).getBytes();
        Files.write(file, original);
        assertTrue(DataFiles.hashAsRead(file).isEmpty());
        try (InputStream in = DataFiles.open(file)) {
            in.readAllBytes();
        }
        Files.writeString(file, "9,9,9\n");
        assertEquals(sha256(original), DataFiles.hashAsRead(file).orElseThrow());
        assertEquals(sha256(original), DataFiles.hashAsRead(dir.resolve("./data.csv")).orElseThrow(), "by normalised path");
    }

    @Test
    void aStreamClosedEarlyStillHashesTheWholeFileAndGzipIsHashedAsStored() throws Exception {
        Path file = dir.resolve("data.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("x".repeat(500_000).getBytes());
        }
        byte[] stored = Files.readAllBytes(file);
        try (InputStream in = DataFiles.open(file)) {
            assertEquals('x', in.read());
        }
        assertEquals(sha256(stored), DataFiles.hashAsRead(file).orElseThrow());
    }
}
