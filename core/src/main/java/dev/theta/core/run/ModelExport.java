package dev.theta.core.run;

import com.google.inject.Inject;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Exporter;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.SequenceHypothesis;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.Preprocessing;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Decision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Writes the trained model of a run with the configured exporter (model.onnx for ONNX). */
public final class ModelExport {
    private final Optional<Exporter> exporter;
    private final DataSpec spec;
    private final Hypothesis hypothesis;
    private final Loss loss;
    private final RunDirectory runDirectory;
    private final Preprocessing preprocessing;

    @Inject
    public ModelExport(Optional<Exporter> exporter, DataSpec spec, Hypothesis hypothesis, Loss loss, RunDirectory runDirectory,
                       Preprocessing preprocessing) {
        this.exporter = exporter;
        this.spec = spec;
        this.hypothesis = hypothesis;
        this.loss = loss;
        this.runDirectory = runDirectory;
        this.preprocessing = preprocessing;
    }

    /**
     * Exports with {@code parameters} keyed by graph input name ({@code param/W}); returns the file written, or
     * empty when export is off.
     */
    public Optional<Path> write(Map<String, Tensor> parameters, Map<String, String> metadata) {
        if (exporter.isEmpty()) {
            return Optional.empty();
        }
        Exporter e = exporter.get();
        Path file = runDirectory.path().resolve(e.fileName());
        try {
            runDirectory.record(e.fileName());
            writeTo(e, file, parameters, metadata);
        } catch (IOException ex) {
            throw new UserError(ExitCode.INTERNAL, "cannot write " + file + ": " + ex.getMessage(), ex);
        }
        return Optional.of(file);
    }

    /** Exports with {@code exporter} to {@code file}, wherever that is. */
    public void writeTo(Exporter exporter, Path file, Map<String, Tensor> parameters, Map<String, String> metadata) throws IOException {
        // Labels and probabilities are one per example: a model with a class per position exports its scores only.
        Decision decision = spec.positions() > 1 ? Decision.NONE : loss.decision();
        exporter.export(new ExportRequest(predictGraph(parameters), decision, metadata, lengths(parameters)), file);
    }

    /** A sequence model's graphs at every length up to its maximum; null for a model of fixed input shape. */
    private ExportRequest.Lengths lengths(Map<String, Tensor> parameters) {
        if (spec.positions() <= 1 || !(preprocessing.wrap(hypothesis, spec) instanceof SequenceHypothesis sequence)) {
            return null;
        }
        return new ExportRequest.Lengths(sequence.maxLength(), t -> TrainingProgram.predictGraph(
                new DataSpec(Shape.of(t), spec.featureType(), spec.classes(), spec.classNames(), Shape.of(t)),
                sequence.atLength(t), parameters));
    }

    /**
     * The prediction graph with {@code parameters}: it takes raw features, since training's standardisation becomes
     * its first operations.
     */
    public Graph predictGraph(Map<String, Tensor> parameters) {
        return TrainingProgram.predictGraph(spec, preprocessing.wrap(hypothesis, spec), parameters);
    }

    /** How the model's scores become labels. */
    public Decision decision() {
        return spec.isClassification() ? loss.decision() : Decision.NONE;
    }
}
