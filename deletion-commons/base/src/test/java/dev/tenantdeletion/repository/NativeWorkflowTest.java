package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The native-image CI workflow cannot run here (no GraalVM, no container engine), so this checks that
 * everything it names exists: modules, Dockerfiles, integration-test suites, the Maven profile, and that
 * each command is one this repository supports.
 */
class NativeWorkflowTest {

    private static final Path ROOT = RepositoryRoot.path();
    private static final Path WORKFLOW = ROOT.resolve(".github/workflows/native-images.yml");

    @Test
    @SuppressWarnings("unchecked")
    void everythingTheWorkflowNamesExists() throws IOException {
        Map<String, Object> workflow = new Yaml().load(Files.readString(WORKFLOW));
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("native");
        List<String> modules = (List<String>) ((Map<String, Object>) ((Map<String, Object>) job.get("strategy")).get("matrix")).get("module");
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));

        assertFalse(modules.isEmpty());
        for (String module : modules) {
            Path dir = ROOT.resolve(module);
            assertTrue(rootPom.contains("<module>" + module + "</module>"), module + " is not a module of the build");
            assertTrue(Files.exists(dir.resolve("src/main/docker/Dockerfile.native")), module + " has no Dockerfile.native");
            assertTrue(Files.exists(dir.resolve("src/main/docker/Dockerfile.jvm")), module + " has no Dockerfile.jvm");
            try (Stream<Path> tests = Files.walk(dir.resolve("src/test/java"))) {
                // a @QuarkusIntegrationTest, or an IT that starts the artefact named by native.image.path itself
                assertTrue(tests.anyMatch(p -> p.toString().endsWith("IT.java")
                                && (contains(p, "@QuarkusIntegrationTest") || contains(p, "native.image.path"))),
                        module + " has no integration suite to run against the binary");
            }
        }
        assertTrue(rootPom.contains("<id>native</id>") && rootPom.contains("<name>native</name>"),
                "the root pom needs the native profile activated by -Dnative");
        Map<String, Object> postgres = (Map<String, Object>) ((Map<String, Object>) job.get("services")).get("postgres");
        assertTrue(String.valueOf(postgres.get("image")).startsWith("postgres:"));

        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        int commands = 0;
        for (Map<String, Object> step : steps) {
            if (!step.containsKey("run")) {
                continue;
            }
            for (String module : modules) {
                String command = ((String) step.get("run")).replace("${{ matrix.module }}", module).trim();
                Path workdir = step.containsKey("working-directory")
                        ? ROOT.resolve(((String) step.get("working-directory")).replace("${{ matrix.module }}", module))
                        : ROOT;
                checkCommand(command, workdir);
                commands++;
            }
        }
        assertTrue(commands >= 3 * modules.size(), "install, native verify and image build for every module");
    }

    private static void checkCommand(String command, Path workdir) {
        assertTrue(Files.isDirectory(workdir), "no directory " + workdir);
        List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        String tool = words.get(0);
        assertTrue(tool.equals("mvn") || tool.equals("docker"), "unexpected command: " + command);
        for (int i = 1; i < words.size() - 1; i++) {
            String next = words.get(i + 1);
            switch (words.get(i)) {
                case "-pl" -> Arrays.stream(next.split(",")).forEach(m ->
                        assertTrue(Files.exists(ROOT.resolve(m).resolve("pom.xml")), "no module " + m + " in: " + command));
                case "-f" -> assertTrue(Files.exists(workdir.resolve(next)), "no file " + next + " in " + workdir);
                default -> { }
            }
        }
        if (tool.equals("docker")) {
            assertEquals("build", words.get(1), command);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
