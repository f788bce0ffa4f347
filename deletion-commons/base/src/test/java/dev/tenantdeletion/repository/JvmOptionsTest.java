package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /**
     * The export-heavy option (docs/operations.md): HotSpot itself parses the directives file and, on the production
     * options with C2 switched back on, compiles SHA-256's compression with C2 and refuses C2 to everything else.
     */
    @Test
    void theExportHeavyDirectivesGiveC2OnlyToSha256() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + ROOT.resolve("deploy/jvm/java-options"), "-XX:TieredStopAtLevel=4", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + ROOT.resolve("deploy/jvm/sha256-c2.json"), "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), Sha256Workload.class.getName());
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jvm.waitFor(), output);
        assertTrue(output.contains("compiler directives added"), output);
        assertTrue(Pattern.compile("(?m)\\s4\\s+sun\\.security\\.provider\\.SHA2::implCompress").matcher(output).find(),
                "SHA-256's compression compiled by C2 (level 4)");
        assertTrue(output.contains("made not compilable on level 4"), "C2 refused to the other methods");
        assertFalse(Pattern.compile("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+(?!sun\\.security\\.provider\\.(SHA2|DigestBase)::)\\S+::")
                .matcher(output).find(), "no other method compiled by C2");
    }

    /** Hashes 64 MB, enough for the compression to be compiled. */
    public static final class Sha256Workload {
        public static void main(String[] args) throws Exception {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 1024; i++) {
                digest.update(chunk);
            }
            System.out.println(java.util.HexFormat.of().formatHex(digest.digest()));
        }
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
