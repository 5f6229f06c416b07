package dev.theta.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.ConfigErrors;
import dev.theta.core.plugins.PluginDirectories;
import dev.theta.core.run.ModelExport;
import dev.theta.core.run.Npz;
import dev.theta.core.run.Provenance;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.run.SpecFile;
import dev.theta.core.training.EpochMetrics;
import dev.theta.core.wiring.ExperimentModule;
import dev.theta.core.wiring.PluginsModule;
import dev.theta.core.wiring.StoredRunModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Model} read back from a run directory: its config, data spec and saved parameters. */
final class StoredRun {
    private StoredRun() {
    }

    static Model load(Path runDir) throws IOException {
        for (String needed : new String[] {"config.yaml", SpecFile.NAME, "parameters.npz"}) {
            if (!Files.isRegularFile(runDir.resolve(needed))) {
                throw new ThetaException.Data(runDir + ": no " + needed + "; is this a run directory written by theta?", null);
            }
        }
        Path dataDirectory = SpecFile.read(runDir.resolve(SpecFile.NAME)).dataDirectory();
        ConfigDocument doc = ConfigDocument.read(runDir.resolve("config.yaml"), dataDirectory != null ? dataDirectory : runDir);
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        Npz.read(runDir.resolve("parameters.npz")).forEach((name, value) -> parameters.put("param/" + name, value));
        Path provenanceFile = runDir.resolve(Provenance.FILE);
        Map<String, String> metadata = Files.isRegularFile(provenanceFile) ? Provenance.read(provenanceFile) : Map.of();
        List<EpochMetrics> history = RunDirectory.history(runDir);
        int selected = metadata.containsKey("theta.selected_epoch") ? Integer.parseInt(metadata.get("theta.selected_epoch"))
                : history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        return ConfigErrors.located(doc, () -> {
            Injector injector = Guice.createInjector(Stage.DEVELOPMENT, new PluginsModule(PluginDirectories.registry(doc)),
                    new ExperimentModule(doc), new StoredRunModule(runDir));
            ModelExport export = injector.getInstance(ModelExport.class);
            Predictor predictor = new GraphPredictor(export.predictGraph(parameters), injector.getInstance(Backend.class));
            return new Model(predictor, injector.getInstance(DataSpec.class), export.decision(), history, selected, new Model.Saved() {
                @Override
                public void exportOnnx(Path file) throws IOException {
                    TrainedModel.exportOnnx(injector, export, file, parameters, metadata);
                }

                @Override
                public void saveCheckpoint(Path directory) {
                    throw new ThetaException.Config(runDir + " is already a run directory holding this model's checkpoint", null);
                }
            });
        });
    }
}
