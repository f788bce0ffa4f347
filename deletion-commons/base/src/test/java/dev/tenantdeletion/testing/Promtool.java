package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real promtool (Debian's prometheus package; .ci/run installs it where missing), run from the tests. */
public final class Promtool {

    /** What promtool answered. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** -Dpromtool=/path, else promtool on the PATH; a clear failure when there is none. */
    public static String path() {
        String configured = System.getProperty("promtool");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        return fail("promtool is not installed, and the alert rules and the metrics are checked with it: install Debian's "
                + "prometheus package (apt-get install prometheus; .ci/run does so where it is missing) or pass -Dpromtool=/path");
    }

    /** Runs promtool in {@code workdir} with {@code stdin} (may be null) and gives its exit code and output. */
    public static Result run(Path workdir, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(path());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool did not finish in 60 s: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs promtool and fails unless it exits 0; gives its output. */
    public static String succeed(Path workdir, String... args) {
        Result result = run(workdir, null, args);
        if (result.exitCode() != 0) {
            fail("promtool " + String.join(" ", args) + " failed (" + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }

    /**
     * {@code promtool check metrics} on a scrape: it must parse, and no metric of this platform (deletion_*,
     * tenant_deletion_*) may have a lint problem (the framework's own metrics are not ours to rename).
     */
    public static void checkMetrics(String exposition) {
        Result result = run(Path.of("."), exposition, "check", "metrics");
        List<String> ours = result.output().lines()
                .filter(line -> line.contains("error") || line.startsWith("deletion_") || line.startsWith("tenant_deletion_"))
                .toList();
        if (!ours.isEmpty()) {
            fail("promtool check metrics:\n" + String.join("\n", ours) + "\n(all of its output:\n" + result.output() + ")");
        }
    }
}
