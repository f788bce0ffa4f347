package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.Redocly;
import dev.tenantdeletion.testing.ServedDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The four served OpenAPI documents (their committed copies in docs/openapi, which each app's tests hold equal to what it
 * serves: ServedDocument) pass {@code redocly lint} with the recommended rules (docs/openapi/redocly.yaml) without an
 * error or a warning.
 */
class RedoclyLintTest {

    static final List<String> APPS = List.of("orchestrator", "pos-service", "external-service", "alert-processor");

    @Test
    void theServedDocumentsPassRedoclysRecommendedRules() {
        List<Path> documents = APPS.stream().map(ServedDocument::committed).toList();
        documents.forEach(document -> assertTrue(Files.isRegularFile(document), document + " is missing"));
        Redocly.Result result = Redocly.lint(documents);
        assertEquals(0, result.exitCode(), "redocly lint failed:\n" + result.output());
        // (node 20's deprecation banner says "warning" too: the lint's own summary is what counts)
        assertTrue(result.output().contains("Your API descriptions are valid"), result.output());
        assertTrue(!result.output().matches("(?s).*You have \\d+ warnings?.*"), "redocly lint warns:\n" + result.output());
    }
}
