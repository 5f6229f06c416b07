package dev.theta.core;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.ExporterProvider;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.ResolvedConfig;
import dev.theta.core.model.Preprocessing;
import dev.theta.core.run.ModelExport;
import dev.theta.core.run.Npz;
import dev.theta.core.run.Provenance;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link Model} of a run that trained in this process, built from the run's own wiring. */
final class TrainedModel {
    private TrainedModel() {
    }

    static Model of(Injector injector, TrainingResult result) {
        ModelExport export = injector.getInstance(ModelExport.class);
        Map<String, Tensor> parameters = result.parameters();
        DataSpec spec = injector.getInstance(DataSpec.class);
        Map<String, String> metadata = injector.getInstance(Provenance.class).metadata(result);
        Predictor predictor = new GraphPredictor(export.predictGraph(parameters), injector.getInstance(Backend.class));
        return new Model(predictor, spec, export.decision(), result.history(), result.selectedEpoch(), new Model.Saved() {
            @Override
            public void exportOnnx(Path file) throws IOException {
                TrainedModel.exportOnnx(injector, export, file, parameters, metadata);
            }

            @Override
            public void saveCheckpoint(Path directory) throws IOException {
                save(injector, directory, result, metadata);
            }
        });
    }

    /** Exports with the {@code onnx} exporter plugin and its default options, whatever the config's export says. */
    static void exportOnnx(Injector injector, ModelExport export, Path file, Map<String, Tensor> parameters,
                           Map<String, String> metadata) throws IOException {
        Map<String, ExporterProvider> exporters = injector.getInstance(Key.get(new TypeLiteral<Map<String, ExporterProvider>>() {
        }));
        ExporterProvider onnx = exporters.get("onnx");
        export.writeTo(onnx.create(onnx.options().validate(Map.of(), "export", List.of())), file, parameters, metadata);
    }

    /** A run directory holding what {@code theta export} and {@link Model#load} need: config, spec, parameters. */
    private static void save(Injector injector, Path directory, TrainingResult result, Map<String, String> metadata) throws IOException {
        try (RunDirectory dir = new RunDirectory(directory, false)) {
            dir.create(injector.getInstance(ResolvedConfig.class).asMap(), injector.getInstance(DataSpec.class),
                    injector.getInstance(Preprocessing.class), injector.getInstance(ConfigDocument.class).baseDirectory().toAbsolutePath());
            Map<String, Tensor> params = new LinkedHashMap<>();
            result.parameters().forEach((input, value) -> params.put(input.substring("param/".length()), value));
            dir.writeAtomically("parameters.npz", Npz.write(params));
            dir.writeAtomically(Provenance.FILE, Provenance.toJson(metadata));
        }
    }}
