package dev.theta.runner.cli;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.OnnxModel;
import dev.theta.tasks.text.TextGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code theta generate MODEL.onnx --prompt TEXT}: samples text from an exported next-token model in ONNX Runtime. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from an exported next-token model (dataset 'text') in ONNX Runtime: prints the prompt"
                + " followed by the sampled tokens. The same seed gives the same text.")
public final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model.onnx trained by theta on dataset 'text'.")
    Path model;

    @Option(names = "--prompt", defaultValue = "", description = "Text to continue (default: none). Shorter than an"
            + " n-gram model's context, it is left-padded with a newline (a space or '.' where the vocabulary lacks"
            + " one); a transformer starts from a newline when it is empty.")
    String prompt;

    @Option(names = "--tokens", defaultValue = "200", description = "How many tokens to sample (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Divides the scores before the softmax:"
            + " below 1 is more conservative, 0 always takes the most likely token (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Draw only among the k most likely tokens; 0 = all"
            + " (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampler's java.util.Random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (tokens < 0) {
            throw new UserError(ExitCode.CONFIG, "--tokens " + tokens + ": must be >= 0");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new UserError(ExitCode.CONFIG, "--temperature " + temperature + ": must be a number >= 0");
        }
        if (topK < 0) {
            throw new UserError(ExitCode.CONFIG, "--top-k " + topK + ": must be >= 0 (0 = all tokens)");
        }
        try (OnnxModel m = OnnxModel.open(model)) {
            String text = TextGenerator.of(m, model.toString()).generate(prompt, tokens, temperature, topK, seed);
            System.out.println(text);
            System.out.flush();
        }
        return 0;
    }
}
