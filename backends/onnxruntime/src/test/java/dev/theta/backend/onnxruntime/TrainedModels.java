package dev.theta.backend.onnxruntime;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.Catalog.Combo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One small model per hypothesis of the catalog, trained for a few steps on the CPU backend, ready to export. */
final class TrainedModels {
    private TrainedModels() {
    }

    /** The first SGD combination of each hypothesis. */
    static List<Combo> onePerHypothesis() {
        Map<String, Combo> first = new LinkedHashMap<>();
        for (Combo c : Catalog.combos()) {
            String hypothesis = c.name().split(" × ")[0];
            if (c.name().endsWith("× sgd")) {
                first.putIfAbsent(hypothesis, c);
            }
        }
        return List.copyOf(first.values());
    }

    static ExportRequest trained(Combo c) {
        TrainingProgram program = c.program(11);
        Map<String, Tensor> params = new LinkedHashMap<>();
        try (Executable exe = new CpuBackend(2).compile(program.step(), TrainingStepTest.BATCH)) {
            TrainingStepTest.train(c, program.step(), exe, 1);
            for (String p : program.parameterInputs()) {
                params.put(p, exe.input(p).copy());
            }
        }
        Graph predict = TrainingProgram.predictGraph(c.data(), c.hypothesis(), params);
        return new ExportRequest(predict, c.loss().decision(), Map.of("theta.version", "test", "combination", c.name()));
    }
}
