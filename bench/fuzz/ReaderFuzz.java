import dev.theta.runner.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * Mutation fuzz of the CSV, IDX and YAML readers through theta's command line, in this JVM: seeds from the shipped
 * data (examples/data, ../shared/data, Fashion-MNIST), each case one mutated file trained on for one epoch. Counts
 * outcomes by exit code; an exit 1 (internal error) or a case over the time limit is kept under OUT/failures.
 *
 * <p>java -cp 'runner/target/theta-runner.jar:runner/target/lib/*' bench/fuzz/ReaderFuzz.java MINUTES SEED OUT
 */
public final class ReaderFuzz {
    private static final long CASE_SECONDS = 60;
    private static final String[] INTERESTING = {"0", "-1", "1e9", "999999999", "2147483648", "-2147483649", "1e39", "NaN",
            "inf", "", "\"", ",", "\0", "9".repeat(30), "0x10", "1,2", "&a", "*a", "[", "{", ": ", "- ", "\t", "\uFEFF", "é"};

    public static void main(String[] args) throws Exception {
        long minutes = Long.parseLong(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        Path out = Files.createDirectories(Path.of(args[2]));
        Path work = Files.createTempDirectory("theta-fuzz");
        List<Seed> seeds = seeds(work);
        Map<String, Integer> counts = new TreeMap<>();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        PrintStream stdout = System.out;
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        int n = 0;
        while (System.nanoTime() < deadline) {
            n++;
            Seed seed = seeds.get(random.nextInt(seeds.size()));
            Path dir = Files.createDirectories(work.resolve("case-" + n));
            byte[] mutated = mutate(seed.bytes(), random);
            if (seed.kind().equals("yaml")) {
                Files.copy(work.resolve("seed-data.csv"), dir.resolve("data.csv"));
            } else {
                Files.writeString(dir.resolve("run.yaml"), seed.config());
            }
            Files.write(dir.resolve(seed.file()), mutated);
            for (String extra : seed.extraFiles()) {
                Files.copy(work.resolve(extra), dir.resolve(extra));
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] argv = {"train", dir.resolve("run.yaml").toString(), "--out", dir.resolve("run").toString(),
                    "--set", "train.epochs=1", "--set", "export=none"};
            System.setOut(quiet);
            Future<Integer> f = runner.submit(() -> Main.run(argv, new PrintStream(err, true, StandardCharsets.UTF_8)));
            String outcome;
            try {
                outcome = "exit " + f.get(CASE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                outcome = "hang";
            } catch (java.util.concurrent.ExecutionException e) {
                outcome = "uncaught " + e.getCause().getClass().getSimpleName();
                e.getCause().printStackTrace(new PrintStream(err));
            } finally {
                System.setOut(stdout);
            }
            String key = seed.kind() + " " + outcome;
            counts.merge(key, 1, Integer::sum);
            boolean bad = !outcome.startsWith("exit ") || outcome.equals("exit 1") || err.toString(StandardCharsets.UTF_8).contains("\tat ");
            if (bad) {
                Path keep = Files.createDirectories(out.resolve("failures").resolve("case-" + n));
                for (Path p : Files.list(dir).filter(Files::isRegularFile).toList()) {
                    Files.copy(p, keep.resolve(p.getFileName()));
                }
                Files.write(keep.resolve("stderr.txt"), err.toByteArray());
                stdout.println("case " + n + " (" + seed.name() + "): " + outcome + ", kept in " + keep);
                if (outcome.equals("hang")) {
                    break;
                }
            }
            deleteTree(dir);
            if (n % 100 == 0) {
                stdout.println(n + " cases: " + counts);
            }
        }
        String summary = n + " cases in " + minutes + " min (seed " + args[1] + "): " + counts;
        stdout.println(summary);
        Files.writeString(out.resolve("counts.txt"), summary + "\n");
        System.exit(0);
    }

    record Seed(String name, String kind, String file, byte[] bytes, String config, List<String> extraFiles) {
    }

    private static final String CSV_CONFIG = "name: fuzz\nseed: 1\ndata:\n  train: {name: csv, path: data.csv}\n  test-fraction: 0.25\n"
            + "hypothesis: {name: linear}\nloss: {name: cross-entropy}\noptimizer: {name: sgd, lr: 0.05}\ntrain: {epochs: 1, batch-size: 16}\n";

    private static String idxConfig(String images, String labels) {
        return "name: fuzz\nseed: 1\ndata:\n  train: {name: idx, images: " + images + ", labels: " + labels + "}\n  test-fraction: 0.25\n"
                + "hypothesis: {name: linear}\nloss: {name: cross-entropy}\noptimizer: {name: sgd, lr: 0.05}\ntrain: {epochs: 1, batch-size: 16}\n";
    }

    private static List<Seed> seeds(Path work) throws IOException {
        List<Seed> seeds = new ArrayList<>();
        byte[] cancer = sklearnHead(Files.readAllBytes(Path.of("examples/data/breast_cancer.csv")), 80);
        byte[] digits = head(gunzip(Files.readAllBytes(Path.of("examples/data/digits.csv.gz"))), 80);
        Files.write(work.resolve("seed-data.csv"), cancer);
        seeds.add(new Seed("breast_cancer.csv", "csv", "data.csv", cancer, CSV_CONFIG, List.of()));
        seeds.add(new Seed("digits.csv", "csv", "data.csv", digits, CSV_CONFIG, List.of()));
        Path shared = Path.of("../shared/data/sklearn/breast_cancer.csv");
        if (Files.isRegularFile(shared)) {
            seeds.add(new Seed("shared breast_cancer.csv", "csv", "data.csv", sklearnHead(Files.readAllBytes(shared), 40), CSV_CONFIG, List.of()));
        }
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        if (Files.isDirectory(fashion)) {
            byte[] images = idxHead(gunzip(Files.readAllBytes(fashion.resolve("t10k-images-idx3-ubyte.gz"))), 120, 28 * 28);
            byte[] labels = idxHead(gunzip(Files.readAllBytes(fashion.resolve("t10k-labels-idx1-ubyte.gz"))), 120, 1);
            Files.write(work.resolve("images.idx"), images);
            Files.write(work.resolve("labels.idx"), labels);
            seeds.add(new Seed("fashion images", "idx", "images.idx", images, idxConfig("images.idx", "labels.idx"), List.of("labels.idx")));
            seeds.add(new Seed("fashion labels", "idx", "labels.idx", labels, idxConfig("images.idx", "labels.idx"), List.of("images.idx")));
        }
        for (String example : List.of("examples/wdbc.yaml", "examples/digits.yaml", "examples/wdbc-sweep.yaml")) {
            String text = Files.readString(Path.of(example)).replaceAll("path: [^,}\\n]+", "path: data.csv")
                    .replaceAll("(?m)^(\\s+)test: \\{name: csv[^\\n]*\\n", "");
            seeds.add(new Seed(example, "yaml", "run.yaml", text.getBytes(StandardCharsets.UTF_8), null, List.of()));
        }
        return seeds;
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> { if (b.length > 0) b[at] ^= (byte) (1 << r.nextInt(8)); }
                case 1 -> { if (b.length > 0) b[at] = (byte) r.nextInt(256); }
                case 2 -> b = splice(b, at, Math.min(b.length - at, r.nextInt(64)), new byte[0]);
                case 3 -> b = splice(b, at, 0, INTERESTING[r.nextInt(INTERESTING.length)].getBytes(StandardCharsets.UTF_8));
                case 4 -> b = splice(b, at, Math.min(b.length - at, 1 + r.nextInt(8)), INTERESTING[r.nextInt(INTERESTING.length)].getBytes(StandardCharsets.UTF_8));
                case 5 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                default -> {
                    // A big-endian int where a header count or dimension may be: IDX's magic, counts and sizes.
                    if (b.length >= 16) {
                        int field = 4 * r.nextInt(4);
                        int[] values = {0, 1, -1, Integer.MAX_VALUE, 65536, 1 << 20, r.nextInt()};
                        ByteBuffer.wrap(b).putInt(field, values[r.nextInt(values.length)]);
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static byte[] head(byte[] text, int lines) {
        int i = 0;
        for (int seen = 0; i < text.length && seen < lines; i++) {
            if (text[i] == '\n') {
                seen++;
            }
        }
        return Arrays.copyOf(text, i);
    }

    /** The first lines of a file with scikit-learn's header, the header's row count made theirs. */
    private static byte[] sklearnHead(byte[] text, int lines) {
        String head = new String(head(text, lines), StandardCharsets.UTF_8);
        return head.replaceFirst("^[0-9]+,", (lines - 1) + ",").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] idxHead(byte[] idx, int count, int itemBytes) {
        int dims = idx[3];
        int header = 4 + 4 * dims;
        byte[] out = Arrays.copyOf(idx, header + count * itemBytes);
        ByteBuffer.wrap(out).putInt(4, count);
        return out;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
