package dev.theta.backend.onnxruntime.saved;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import dev.theta.api.spi.DataException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a model's parameters (its initializers, in order), stored in its metadata at export and checked
 * when theta opens it: a model whose weights were damaged still loads and predicts, only wrongly.
 */
public final class ParameterChecksum {
    /** The metadata key. */
    public static final String KEY = "theta.parameters.sha256";

    private ParameterChecksum() {
    }

    public static String of(GraphProto graph) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (TensorProto t : graph.getInitializerList()) {
            sha.update(t.toByteArray());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Checks {@code file}'s parameters against its stored checksum; a model without one (not theta's) passes. */
    static void verify(Path file) throws DataException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(coded);
        } catch (IOException e) {
            throw new DataException(file, "not a readable ONNX model: " + e.getMessage(), e);
        }
        String stored = model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(KEY))
                .map(StringStringEntryProto::getValue).findFirst().orElse(null);
        if (stored != null && !stored.equals(of(model.getGraph()))) {
            throw new DataException(file, 0, "its parameters do not match the checksum theta stored when it wrote the model ("
                    + KEY + "): the file is damaged or was changed; export it again from its run with theta export RUN_DIR");
        }
    }
}
