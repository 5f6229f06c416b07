package dev.theta.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes listen on, read from Linux's {@code /proc}: a test's proof that Spark bound nothing
 * but loopback. An IPv4 socket of a dual-stack JVM shows in {@code /proc/net/tcp6} as {@code ::ffff:127.0.0.1}.
 */
final class LoopbackSockets {
    private static final String LISTEN = "0A";
    private static final Set<String> LOOPBACK = Set.of("0100007F", "0000000000000000FFFF00000100007F");

    private LoopbackSockets() {
    }

    /** A listening socket: the process, its address as /proc writes it (hex, network order per word), its port. */
    record Listening(long pid, String address, int port) {
        boolean loopback() {
            return LOOPBACK.contains(address);
        }

        @Override
        public String toString() {
            return "pid " + pid + " listens on " + address + ":" + port;
        }
    }

    /** The TCP sockets that {@code pids} listen on, over IPv4 and IPv6. */
    static List<Listening> of(List<Long> pids) throws IOException {
        List<Listening> out = new ArrayList<>();
        for (long pid : pids) {
            Set<String> inodes = socketInodes(pid);
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    String[] local = f[1].split(":");
                    if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                        out.add(new Listening(pid, local[0], Integer.parseInt(local[1], 16)));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        Path dir = Path.of("/proc", String.valueOf(pid), "fd");
        if (!Files.isDirectory(dir)) {
            return inodes;
        }
        try (Stream<Path> fds = Files.list(dir)) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed between the listing and the read is no socket to check.
                }
            }
        } catch (NoSuchFileException exited) {
            // The process ended between the check and the listing (an executor another test killed): it listens nowhere.
        }
        return inodes;
    }
}
