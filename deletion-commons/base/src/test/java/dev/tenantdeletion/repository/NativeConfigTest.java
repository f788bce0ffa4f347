package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.testing.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Native builds cannot run here: at least every class the shared native configuration names must exist. */
class NativeConfigTest {

    private static final Path ROOT = RepositoryRoot.path();
    private static final Path CONFIG = ROOT.resolve("src-native-config");

    /** Checked on deletion-base's classpath: the configuration goes into every app, the orchestrator included. */
    @Test
    void everyClassInTheReflectionConfigurationExists() throws IOException {
        JsonNode entries = new ObjectMapper().readTree(CONFIG.resolve("reflect-config.json").toFile());
        assertFalse(entries.isEmpty());
        for (JsonNode entry : entries) {
            String name = entry.path("name").asText();
            assertDoesNotThrow(() -> Class.forName(name, false, getClass().getClassLoader()), name + " does not exist");
        }
    }

    @Test
    void theNativeProfileShipsTheSharedConfiguration() throws IOException {
        assertTrue(Files.readString(CONFIG.resolve("native-image.properties")).contains("Args"));
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        assertTrue(rootPom.contains("<directory>${project.basedir}/../src-native-config</directory>"), "native profile does not copy src-native-config");
        assertTrue(rootPom.contains("<targetPath>META-INF/native-image/"), "src-native-config must land under META-INF/native-image");
    }
}
