package dev.theta.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on the loopback interface: one master and {@code workers} workers, each its own JVM
 * started with {@code java -cp} from the Maven jars, as {@code sbin/start-master.sh} and {@code start-worker.sh} would.
 * Workers launch executors from {@code SPARK_HOME}, so a Spark home is assembled in {@code dir}: {@code jars/} holds
 * links to the jars. The constructor starts the processes; {@link #awaitListening} waits for them. Every process
 * listens on 127.0.0.1 only, on free ports (web UIs included). {@link #close} stops
 * each process it started by its id, descendants (the executors) included; a shutdown hook does the same if the
 * test JVM exits first.
 */
final class LoopbackCluster implements AutoCloseable {
    static final String HOST = EmbeddedSpark.LOOPBACK;
    private static final Duration START = Duration.ofSeconds(180);

    private final Path dir;
    private final Path home;
    private final List<String> jvmFlags;
    private final List<Process> started = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-loopback-cluster");
    private final String master;
    private final int port;
    private final Process masterProcess;
    private final int[] workerPorts;

    /**
     * @param sparkJars the jars of a Spark distribution (linked into {@code SPARK_HOME/jars})
     * @param jvmFlags  flags for every JVM: Spark's {@code --add-opens} (the executors get them from the application)
     */
    LoopbackCluster(Path dir, List<Path> sparkJars, List<String> jvmFlags, int workerCount, int coresPerWorker,
                    String workerMemory) throws IOException {
        this.dir = dir;
        this.home = dir.resolve("spark-home");
        this.jvmFlags = List.copyOf(jvmFlags);
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        Files.createDirectories(home.resolve("conf"));
        Runtime.getRuntime().addShutdownHook(hook);
        boolean launched = false;
        try {
            port = freePort();
            master = "spark://" + HOST + ":" + port;
            masterProcess = start("master", "org.apache.spark.deploy.master.Master",
                    "--host", HOST, "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
            // Workers start with the master (they retry registering until it listens): JVM starts overlap.
            workerPorts = new int[workerCount];
            for (int w = 0; w < workerCount; w++) {
                Path work = Files.createDirectories(dir.resolve("work-" + w));
                workerPorts[w] = freePort();
                workers.add(start("worker-" + w, "org.apache.spark.deploy.worker.Worker",
                        "--host", HOST, "--port", String.valueOf(workerPorts[w]), "--webui-port", String.valueOf(freePort()),
                        "--cores", String.valueOf(coresPerWorker), "--memory", workerMemory, "--work-dir", work.toString(),
                        master));
            }
            launched = true;
        } finally {
            if (!launched) {
                close();
            }
        }
    }

    /** Waits until the master and every worker listen (the processes start in the background meanwhile). */
    void awaitListening() throws InterruptedException {
        awaitListening("master", masterProcess, port);
        for (int w = 0; w < workers.size(); w++) {
            awaitListening("worker-" + w, workers.get(w), workerPorts[w]);
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:port}. */
    String master() {
        return master;
    }

    /** The master, the workers and their descendants: every process of the cluster that is alive. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : started) {
            all.add(p.toHandle());
            p.descendants().forEach(all::add);
        }
        return all.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** The executor JVMs the workers run now: their descendants whose command is Spark's executor backend. */
    List<ProcessHandle> executors() {
        return workers.stream().flatMap(Process::descendants)
                .filter(p -> p.isAlive() && commandLine(p).contains("CoarseGrainedExecutorBackend")).toList();
    }

    /** The last lines of every process's log, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log") || f.getFileName().toString().equals("stderr")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("--- ").append(dir.relativize(log)).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    /** The environment of every JVM of the cluster: its Spark home, loopback as the only address, this JDK. */
    private Map<String, String> environment() {
        return Map.of("SPARK_HOME", home.toString(), "SPARK_LOCAL_IP", HOST, "SPARK_LOCAL_HOSTNAME", HOST,
                "SPARK_SCALA_VERSION", "2.13", "JAVA_HOME", System.getProperty("java.home"));
    }

    @Override
    public void close() {
        stopAll();
        deleteLinks();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing left to remove.
        }
    }

    /** The links of {@code jars/}, so that deleting the folder never reaches the Maven repository they point into. */
    private void deleteLinks() {
        try (Stream<Path> links = Files.list(home.resolve("jars"))) {
            for (Path link : links.toList()) {
                Files.deleteIfExists(link);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the links of " + home.resolve("jars"), e);
        }
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The daemons only pass messages and launch executors: small heaps, no optimising JIT, one GC thread.
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", home.resolve("conf") + "/:" + home.resolve("jars") + "/*"));
        command.addAll(jvmFlags);
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(environment());
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** Stops the workers before the master, each with its descendants, by process id: SIGTERM, then SIGKILL. */
    private void stopAll() {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started.reversed());
            started.clear();
        }
        for (Process p : all) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(15, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void awaitListening(String name, Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + " before listening:\n" + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(name + " did not listen on " + HOST + ":" + port + " within " + START + ":\n" + logs());
    }

    /** A port free on loopback now (another process may take it before Spark binds it; the start then fails loudly). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static String commandLine(ProcessHandle p) {
        return p.info().commandLine().orElseGet(() -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
