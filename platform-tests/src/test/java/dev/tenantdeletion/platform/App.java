package dev.tenantdeletion.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged application run as an operating-system process: started, killed with SIGKILL and started
 * again with the same command, port and environment. Its output is appended to target/platform/&lt;name&gt;.log.
 */
public final class App {

    /** The deployment's JVM options (deploy/jvm/java-options), so the tests run the apps as they are run in production. */
    private static final Path JAVA_OPTIONS = Path.of(System.getProperty("platform.java-options", "../deploy/jvm/java-options"));
    private static final List<String> JVM_FLAGS = List.of("@" + JAVA_OPTIONS.toAbsolutePath());
    /** Environment every app gets next to its own: fewer glibc malloc arenas, as in Dockerfile.jvm. */
    public static final Map<String, String> JVM_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /** The flags of the JVM options file, without its comments. */
    public static List<String> jvmFlags() throws IOException {
        return Files.readAllLines(JAVA_OPTIONS).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    public final String name;
    public final int port;
    private final Path jar;
    private final Map<String, String> environment;
    private final Path log;
    private volatile Process process;

    App(String name, Path jar, int port, Map<String, String> environment, Path logs) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.environment = new LinkedHashMap<>(environment);
        this.environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        this.log = logs.resolve(name + ".log");
    }

    /** Changes an environment variable for the next start. */
    synchronized void environment(String key, String value) {
        environment.put(key, value);
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(JVM_ENVIRONMENT);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, System.lineSeparator() + "===== platform-tests: starting " + name + " =====" + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
    }

    /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no graceful close of anything. */
    synchronized void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die after SIGKILL");
        }
    }

    public synchronized Process process() {
        return process;
    }

    /** For the shutdown hook: no lock, no waiting. */
    void destroyForcibly() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
        }
    }

    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
