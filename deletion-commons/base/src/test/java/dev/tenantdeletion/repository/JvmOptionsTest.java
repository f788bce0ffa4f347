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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options measured by the benchmark and used by run-platform and platform-tests
 * (deploy/jvm/java-options) are the ones the container images start with.
 */
class JvmOptionsTest {

    private static final Path ROOT = RepositoryRoot.path();
    private static final List<String> MODULES = List.of("pos-service", "external-service", "alert-processor", "orchestrator");

    @Test
    void everyJvmImageStartsWithTheOptionsOfTheOptionsFile() throws IOException {
        List<String> flags = Files.readAllLines(ROOT.resolve("deploy/jvm/java-options")).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertFalse(flags.isEmpty());
        // an out-of-memory process exits (and is restarted) instead of serving with threads that died mid-allocation
        assertTrue(flags.contains("-XX:+ExitOnOutOfMemoryError"), "deploy/jvm/java-options: -XX:+ExitOnOutOfMemoryError");
        for (String module : MODULES) {
            String dockerfile = Files.readString(ROOT.resolve(module + "/src/main/docker/Dockerfile.jvm"));
            List<String> imageFlags = new ArrayList<>(words(env(dockerfile, "JAVA_OPTS_APPEND")));
            imageFlags.addAll(words(env(dockerfile, "GC_CONTAINER_OPTIONS")));
            imageFlags.removeIf(flag -> flag.startsWith("-D"));
            assertEquals(flags.stream().sorted().toList(), imageFlags.stream().sorted().toList(), module + "/Dockerfile.jvm");
            assertTrue(dockerfile.contains("ENV MALLOC_ARENA_MAX=2"), module + "/Dockerfile.jvm: MALLOC_ARENA_MAX");
            assertTrue(Files.readString(ROOT.resolve(module + "/src/main/docker/Dockerfile.native")).contains("-XX:+ExitOnOutOfMemoryError"),
                    module + "/Dockerfile.native: -XX:+ExitOnOutOfMemoryError");
        }
        assertTrue(Files.readString(ROOT.resolve("run-platform")).contains("@deploy/jvm/java-options"), "run-platform");
    }

    private static String env(String dockerfile, String name) {
        Matcher matcher = Pattern.compile("(?m)^ENV " + name + "=\"([^\"]*)\"").matcher(dockerfile);
        assertTrue(matcher.find(), name + " not set");
        return matcher.group(1);
    }

    private static List<String> words(String value) {
        return Arrays.stream(value.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }
}
