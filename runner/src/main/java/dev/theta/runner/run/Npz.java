package dev.theta.runner.run;

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
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue()));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** NPY format version 1.0: magic, header length, a Python dict literal padded to 64 bytes, little-endian data. */
    static byte[] npy(Tensor t) {
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
