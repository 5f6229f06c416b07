package dev.theta.core.run;

import dev.theta.api.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes float32 tensors as a NumPy {@code .npz} archive, readable with {@code numpy.load}. */
public final class Npz {
    private Npz() {
    }

    public static byte[] write(Map<String, Tensor> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // float32 weights barely compress, and deflating them cost ~0.1 s per MLP checkpoint.
            zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                zip.putNextEntry(entry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue()));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A zip entry with a fixed time, so that the same tensors always give the same bytes. */
    static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
        return e;
    }

    /** Reads a float32 archive written by {@link #write}; entries keep their order. */
    public static Map<String, Tensor> read(java.nio.file.Path file) throws IOException {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName().replaceFirst("\\.npy$", "");
                out.put(name, npyRead(zip.readAllBytes(), file + "!" + e.getName()));
            }
        }
        return out;
    }

    static Tensor npyRead(byte[] bytes, String where) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') {
            throw new IOException(where + ": not an NPY array");
        }
        int headerLength = buf.getShort(8) & 0xffff;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(where + ": only little-endian float32 C-order arrays are supported, header " + header.trim());
        }
        String dims = header.replaceFirst(".*'shape': \\(([^)]*)\\).*", "$1").trim();
        int[] shape = dims.isEmpty() ? new int[0] : java.util.Arrays.stream(dims.split(","))
                .map(String::trim).filter(d -> !d.isEmpty()).mapToInt(Integer::parseInt).toArray();
        dev.theta.api.tensor.Shape s = dev.theta.api.tensor.Shape.of(shape);
        float[] data = new float[s.size()];
        buf.position(10 + headerLength);
        buf.asFloatBuffer().get(data);
        return Tensor.of(s, data);
    }

    /** NPY format version 1.0: magic, header length, a Python dict literal padded to 64 bytes, little-endian data. */
    static byte[] npy(Tensor t) {
        if (t.dtype() != dev.theta.api.tensor.DType.FLOAT32) {
            throw new IllegalArgumentException("only float32 tensors can be written, got " + t.dtype());
        }
        int[] dims = t.shape().dims();
        String shape = dims.length == 1 ? "(" + dims[0] + ",)"
                : IntStream.of(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        float[] data = t.floats();
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(data);
        return buf.array();
    }
}
