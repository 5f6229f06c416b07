package dev.theta.runner.testing;

import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.cpu.CpuBackendProvider;
import dev.theta.core.training.Interruption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test backend {@code stall-cpu}: the CPU backend, except that in a JVM started with
 * {@code -Dtheta.test.stall-at-step=N -Dtheta.test.stall-marker=FILE} the N-th training step creates FILE and then
 * waits until FILE is deleted, SIGINT has reached theta's handler, or the process is killed. Lets a test kill or
 * interrupt a child run at an exact step: the stalled step ends only once the handler has run, however long the JVM
 * takes to start its signal thread on a busy machine.
 */
public final class StallingBackendProvider implements BackendProvider {
    private final BackendProvider cpu = new CpuBackendProvider();

    @Override
    public String name() {
        return "stall-cpu";
    }

    @Override
    public String description() {
        return "test only: the cpu backend, stalling at a training step given by system properties";
    }

    @Override
    public OptionSchema options() {
        return cpu.options();
    }

    @Override
    public Backend create(Options options) {
        Backend backend = cpu.create(options);
        AtomicLong steps = new AtomicLong();
        long stallAt = Long.getLong("theta.test.stall-at-step", -1);
        String marker = System.getProperty("theta.test.stall-marker");
        return (graph, batchSize) -> {
            Executable exec = backend.compile(graph, batchSize);
            boolean training = !graph.carries().isEmpty();
            return new Executable() {
                @Override
                public Tensor input(String name) {
                    return exec.input(name);
                }

                @Override
                public void run() {
                    exec.run();
                    if (training && steps.incrementAndGet() == stallAt) {
                        stall(Path.of(marker));
                    }
                }

                @Override
                public Tensor output(String name) {
                    return exec.output(name);
                }

                @Override
                public void close() {
                    exec.close();
                }
            };
        };
    }

    private static void stall(Path marker) {
        try {
            Files.writeString(marker, "stalled");
            while (Files.exists(marker) && !Interruption.process().isRequested()) {
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
