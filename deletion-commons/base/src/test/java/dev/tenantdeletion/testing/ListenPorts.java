package dev.tenantdeletion.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for processes a test starts later. {@code new ServerSocket(0)} hands out a port of the kernel's ephemeral
 * range, and between choosing it and the process binding it any outgoing connection on the machine (thirteen apps'
 * database pools) may take it as its local port: the app then fails with "Port … seems to be in use" (seen in CI).
 * Ports below the ephemeral range are never chosen for outgoing connections, so one that binds now stays free.
 */
public final class ListenPorts {

    private static final int LOWEST = 20000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private ListenPorts() {
    }

    /** A port nobody listens on, below the ephemeral range, never the same twice in this JVM. */
    public static synchronized int free() throws IOException {
        int highest = ephemeralRangeStart() - 1;
        int span = highest - LOWEST + 1;
        int first = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = LOWEST + (first + i) % span;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IOException("no free port between " + LOWEST + " and " + highest);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** The kernel's first ephemeral port (Linux: net.ipv4.ip_local_port_range), 32768 where it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1000 ? start : 32768;
        } catch (IOException | RuntimeException unreadable) {
            return 32768;
        }
    }
}
