package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Redocly CLI, at the version docs/openapi/package-lock.json pins, installed with {@code npm ci} into this
 * module's target/redocly (node and npm on the PATH; the npm registry, or npm's cache, reachable) and run from the tests.
 */
public final class Redocly {

    /** What redocly answered. */
    public record Result(int exitCode, String output) {
    }

    private Redocly() {
    }

    /** The pinned CLI, installed once per build of the module. */
    public static Path cli() {
        Path docs = RepositoryRoot.path().resolve("docs/openapi");
        Path dir = Path.of("target", "redocly").toAbsolutePath();
        Path cli = dir.resolve("node_modules/.bin/redocly");
        try {
            Files.createDirectories(dir);
            for (String file : List.of("package.json", "package-lock.json")) {
                Files.copy(docs.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.isExecutable(cli)) {
                Result install = run(dir, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
                if (install.exitCode() != 0 || !Files.isExecutable(cli)) {
                    fail("npm ci of docs/openapi/package.json failed (" + install.exitCode() + "): node and npm must be on the PATH "
                            + "and the npm registry reachable (.ci/run's machine has both):\n" + install.output());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cli;
    }

    /** {@code redocly lint} of {@code documents} with docs/openapi/redocly.yaml. */
    public static Result lint(List<Path> documents) {
        List<String> command = new ArrayList<>(List.of(cli().toString(), "lint", "--config",
                RepositoryRoot.path().resolve("docs/openapi/redocly.yaml").toString(), "--format", "stylish"));
        documents.forEach(document -> command.add(document.toString()));
        return run(RepositoryRoot.path(), 120, command.toArray(String[]::new));
    }

    private static Result run(Path workdir, int seconds, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true);
            // no telemetry, no update check: a test run talks to nobody but the npm registry for the install
            builder.environment().put("REDOCLY_TELEMETRY", "off");
            builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return fail("could not run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
