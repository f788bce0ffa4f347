package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The application's served /q/openapi against its committed copy in docs/openapi/&lt;app&gt;.json — the copy the README
 * links, Redocly lints (RedoclyLintTest) and the client generator of platform-tests reads — so that the copy cannot
 * drift from what the application serves. {@code -Dopenapi.update=true} rewrites the copy instead of failing.
 */
public final class ServedDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ServedDocument() {
    }

    /** docs/openapi/&lt;app&gt;.json, where the served document of {@code app} is kept. */
    public static Path committed(String app) {
        return RepositoryRoot.path().resolve("docs/openapi").resolve(app + ".json");
    }

    /** Fails unless the document the application under test serves equals docs/openapi/&lt;app&gt;.json. */
    public static void assertCommitted(String app) {
        try {
            JsonNode served = JSON.readTree(OpenApiContractFilter.served("http://localhost:" + RestAssured.port));
            String text = JSON.writeValueAsString(served) + "\n";
            Path copy = committed(app);
            if (Boolean.getBoolean("openapi.update")) {
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, text);
                return;
            }
            if (!Files.isRegularFile(copy) || !JSON.readTree(copy.toFile()).equals(served)) {
                Path actual = Path.of("target", "openapi", app + ".json");
                Files.createDirectories(actual.getParent());
                Files.writeString(actual, text);
                fail("the served /q/openapi differs from " + RepositoryRoot.path().relativize(copy) + " (served: " + actual.toAbsolutePath()
                        + "). Describe the change in the resources, then rewrite the copy with -Dopenapi.update=true and commit it.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
