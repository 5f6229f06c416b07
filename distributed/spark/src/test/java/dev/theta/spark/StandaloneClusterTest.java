package dev.theta.spark;

import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.TrainingListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sync SGD on a real multi-process Spark standalone cluster on loopback (a master and two workers, each its own JVM,
 * each worker running one executor JVM), with the example plugin's focal loss and RBF hypothesis: the plugin jar is
 * on no JVM's class path and reaches the executors only through {@code spark.jars}. The bars of issue 17: the same
 * parameters as on {@code local[2]}; and a run that loses an executor to SIGKILL mid-run ends with the parameters
 * of an uninterrupted one.
 */
// A lost cluster would leave Spark's jobs waiting for resources forever: fail (and stop the processes) instead.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StandaloneClusterTest {
    private static final int ROWS = 400;
    /** 400 rows in batches of 64: six full batches and a smaller last one. */
    private static final int STEPS_PER_EPOCH = 7;
    private static final int KILL_AFTER_STEP = 9;
    private static final SyncSgd.Settings SETTINGS = new SyncSgd.Settings(2, 64, 3, true, 7, 0);

    @TempDir
    static Path dir;
    private static Dataset data;
    private static PluginRecipe model;
    private static URLClassLoader withPlugin;
    private static SyncSgd.Result local;
    private static SyncSgd.Result cluster;
    private static LoopbackCluster spark;
    private static JavaSparkContext context;
    private static final Faults faults = new Faults();

    @BeforeAll
    static void startTheClusterAndTrainOnce() throws Exception {
        long start = System.nanoTime();
        ApplicationJars jars = new ApplicationJars(dir.resolve("app"));
        Path plugin = ApplicationJars.examplePlugin(dir.resolve("plugin"));
        withPlugin = new URLClassLoader(new URL[] {plugin.toUri().toURL()}, StandaloneClusterTest.class.getClassLoader());
        data = SyncSgdTest.synthetic(ROWS, 8, 3);
        model = PluginRecipe.of(Map.of("name", "rbf", "centres", 8), Map.of("name", "focal", "gamma", 2.0),
                Map.of("name", "adam", "lr", 0.05), data.spec());
        System.out.printf("plugin jar and theta jars built in %.1f s%n", seconds(start));

        // The cluster's JVMs start while this one trains the local[2] reference.
        long clusterStart = System.nanoTime();
        spark = new LoopbackCluster(dir.resolve("cluster"), jars.spark, jvmFlags(), 2, 1, "1g");
        long t = System.nanoTime();
        StepClock clock = new StepClock();
        try (JavaSparkContext local2 = withPlugin(() -> EmbeddedSpark.start("local[2]", "theta-local-reference"))) {
            local = train(local2, clock);
        }
        System.out.printf("local[2] reference: %d steps in %.1f s (with the context's start), median step %.1f ms%n",
                local.losses().length, seconds(t), SyncSgdTest.medianStepMillis(clock.times));

        try {
            startTheApplication(jars, plugin);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("the cluster did not start: " + e + "\n" + spark.logs(), e);
        }
        System.out.printf("standalone cluster (master, 2 workers, 2 executors) up %.1f s after its start%n", seconds(clusterStart));

        t = System.nanoTime();
        clock.times.clear();
        cluster = train(context, clock);
        System.out.printf("cluster run: %d steps in %.1f s, median step %.1f ms%n", cluster.losses().length, seconds(t),
                SyncSgdTest.medianStepMillis(clock.times));
    }

    private static void startTheApplication(ApplicationJars jars, Path plugin) throws InterruptedException {
        spark.awaitListening();
        List<Path> shipped = new ArrayList<>(jars.theta);
        shipped.add(plugin);
        SparkConf conf = EmbeddedSpark.conf(spark.master(), "theta-cluster-test")
                .set("spark.jars", shipped.stream().map(Path::toString).collect(Collectors.joining(",")))
                .set("spark.executor.extraJavaOptions", String.join(" ", jvmFlags()) + " --add-modules jdk.incubator.vector")
                .set("spark.executor.memory", "512m")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2")
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        context = withPlugin(() -> new JavaSparkContext(conf));
        context.sc().addSparkListener(faults);
        // SyncSgd cuts the shards' lineage with a reliable checkpoint when there is a checkpoint directory (else a
        // local one, lost with its executor). Local disk serves here: every executor of this cluster shares it.
        context.setCheckpointDir(dir.resolve("checkpoints").toString());
        awaitExecutors(2);
    }

    @AfterAll
    static void stopTheCluster() throws IOException {
        try {
            if (context != null) {
                context.close();
            }
            if (withPlugin != null) {
                withPlugin.close();
            }
        } finally {
            if (spark != null) {
                List<ProcessHandle> all = spark.processes();
                spark.close();
                assertEquals(List.of(), all.stream().filter(ProcessHandle::isAlive).toList(), "cluster processes alive after close");
            }
        }
    }

    @Test
    void theClusterWithThePluginJarGivesTheLocalParameters() throws IOException {
        assertNull(StandaloneClusterTest.class.getClassLoader().getResource("com/example/theta/FocalLoss.class"),
                "the plugin must reach the executors by spark.jars alone, not be on the test class path");
        assertTrue(PluginRegistry.discover(withPlugin).find(PluginKind.LOSS, "focal").isPresent(), "the built plugin jar has no focal loss");
        double worst = 0;
        boolean identical = true;
        for (Map.Entry<String, Tensor> p : local.parameters().entrySet()) {
            float[] expected = p.getValue().floats();
            float[] actual = cluster.parameters().get(p.getKey()).floats();
            worst = Math.max(worst, SyncSgdTest.relative(expected, actual));
            identical &= Arrays.equals(expected, actual);
        }
        System.out.printf("cluster vs local[2]: max relative parameter difference %.3g (bit for bit: %s)%n", worst, identical);
        assertTrue(worst < 1e-6, "relative difference " + worst);
        double first = epochMean(cluster.losses(), 0);
        double last = epochMean(cluster.losses(), SETTINGS.epochs() - 1);
        assertTrue(last < 0.9 * first, "it trains: mean loss of epoch 1 " + first + ", of epoch " + SETTINGS.epochs() + " " + last);

        // Only the living: when the executor-kill test ran first, the killed executor's JVM is among the processes.
        List<Long> pids = new ArrayList<>(Stream.concat(spark.processes().stream(), Stream.of(ProcessHandle.current()))
                .filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
        List<LoopbackSockets.Listening> sockets = LoopbackSockets.of(pids);
        System.out.printf("%d processes listen on %d sockets%n", pids.size(), sockets.size());
        assertTrue(sockets.size() >= 2 * 5, "master, workers, executors and driver listen somewhere: " + sockets);
        assertEquals(List.of(), sockets.stream().filter(s -> !s.loopback()).toList(), "sockets off loopback");
    }

    /**
     * From step {@link #KILL_AFTER_STEP} on, the first task that starts on an executor holding a cached shard has that
     * executor's JVM killed (SIGKILL) as it starts: Spark retries the task elsewhere and rebuilds the lost shard.
     */
    @Test
    void anExecutorKilledMidRunLeavesTheParametersUnchanged() throws Exception {
        TrainingListener arm = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                if (step == KILL_AFTER_STEP) {
                    faults.armed = true;
                }
            }
        };
        int removedBefore = faults.removed.get();
        int failedBefore = faults.failedTasks.get();
        long t = System.nanoTime();
        SyncSgd.Result r = train(context, arm);
        long killed = faults.killed;
        System.out.printf("run with executor JVM %d killed as a task of step %d started: %d steps in %.1f s; executors lost %d,"
                        + " tasks failed (and retried) %d%n", killed, KILL_AFTER_STEP + 1, r.losses().length, seconds(t),
                faults.removed.get() - removedBefore, faults.failedTasks.get() - failedBefore);
        assertTrue(killed > 0, "no executor was killed: " + faults.problem);
        ProcessHandle.of(killed).ifPresent(p -> p.onExit().join());
        awaitUntil(() -> faults.removed.get() > removedBefore, "the driver to see the executor lost");
        for (Map.Entry<String, Tensor> p : cluster.parameters().entrySet()) {
            assertArrayEquals(p.getValue().floats(), r.parameters().get(p.getKey()).floats(), p.getKey());
        }
        for (Map.Entry<String, Tensor> c : cluster.carried().entrySet()) {
            assertArrayEquals(c.getValue().floats(), r.carried().get(c.getKey()).floats(), c.getKey());
        }
        assertArrayEquals(cluster.losses(), r.losses());
    }

    private static double epochMean(float[] losses, int epoch) {
        double sum = 0;
        for (int i = epoch * STEPS_PER_EPOCH; i < (epoch + 1) * STEPS_PER_EPOCH; i++) {
            sum += losses[i];
        }
        return sum / STEPS_PER_EPOCH;
    }

    private static SyncSgd.Result train(JavaSparkContext on, TrainingListener listener) {
        return withPlugin(() -> new SyncSgd(on, model, SETTINGS, step -> 0.05, listener).train(data));
    }

    /** When each step ended. */
    private static final class StepClock implements TrainingListener {
        final List<Long> times = new ArrayList<>();

        @Override
        public void onStep(long step, int epoch, double loss, double learningRate) {
            times.add(System.nanoTime());
        }
    }

    /** Sees the faults (executors lost, tasks failed), which executors hold cached shards, and kills one when armed. */
    private static final class Faults extends SparkListener {
        final AtomicInteger removed = new AtomicInteger();
        final AtomicInteger failedTasks = new AtomicInteger();
        final Set<String> holdingShards = ConcurrentHashMap.newKeySet();
        volatile boolean armed;
        volatile long killed = -1;
        volatile String problem = "no task started on an executor holding a shard after step " + KILL_AFTER_STEP;

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
            removed.incrementAndGet();
            holdingShards.remove(event.executorId());
        }

        /** The JVM of the executor {@code id} of this application, by its command line. */
        private static Optional<ProcessHandle> executorJvm(String id) {
            Pattern option = Pattern.compile("--executor-id\\s+" + Pattern.quote(id) + "(\\s|$)");
            return spark.executors().stream().filter(e -> option.matcher(e.info().commandLine().orElse("")).find()).findFirst();
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart event) {
            String executor = event.taskInfo().executorId();
            if (armed && holdingShards.contains(executor)) {
                armed = false;
                Optional<ProcessHandle> jvm = executorJvm(executor);
                jvm.ifPresentOrElse(p -> {
                    p.destroyForcibly();
                    killed = p.pid();
                }, () -> problem = "no JVM for executor " + executor + " among " + spark.executors());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            if (!event.taskInfo().successful()) {
                failedTasks.incrementAndGet();
            }
        }

        @Override
        public void onBlockUpdated(SparkListenerBlockUpdated event) {
            var info = event.blockUpdatedInfo();
            if (info.blockId().isRDD() && info.storageLevel().isValid()) {
                holdingShards.add(info.blockManagerId().executorId());
            }
        }
    }

    private static void awaitExecutors(int count) throws InterruptedException {
        awaitUntil(() -> context.sc().statusTracker().getExecutorInfos().length == count + 1, count + " executors to register");
        assertEquals(count, spark.executors().size(), "executor JVMs under the workers");
    }

    private static void awaitUntil(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "\n" + spark.logs());
            }
            Thread.sleep(100);
        }
    }

    /** Runs {@code work} with the plugin jar visible to this thread, as a driver embedding theta would. */
    private static <T> T withPlugin(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(withPlugin);
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** {@code spark.jvm.flags} of the module's pom, passed to the test JVM by Surefire. */
    private static List<String> jvmFlags() {
        String flags = System.getProperty("theta.spark.jvm.flags");
        assertTrue(flags != null && flags.contains("--add-opens"), "theta.spark.jvm.flags is not set (run through Maven)");
        return List.of(flags.trim().split("\\s+"));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
