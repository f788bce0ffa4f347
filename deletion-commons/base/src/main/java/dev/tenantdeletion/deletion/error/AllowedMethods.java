package dev.tenantdeletion.deletion.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The methods a path has, for the {@code Allow} header of a 405 (RFC 9110 15.5.6), which the REST layer's exception
 * does not carry. Read once from the OpenAPI document Quarkus builds into the application (the one /q/openapi serves,
 * which the tests check against every answer), so the header names exactly the operations the document describes.
 */
final class AllowedMethods {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static volatile Map<Pattern, String> byPath;

    private AllowedMethods() {
    }

    /** "GET, POST" for a path of the document, empty for a path it does not have. */
    static Optional<String> of(String path) {
        return table().entrySet().stream().filter(entry -> entry.getKey().matcher(path).matches()).map(Map.Entry::getValue)
                .findFirst();
    }

    private static Map<Pattern, String> table() {
        Map<Pattern, String> table = byPath;
        if (table == null) {
            table = read();
            byPath = table;
        }
        return table;
    }

    private static Map<Pattern, String> read() {
        Map<Pattern, String> table = new LinkedHashMap<>();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(OpenApiConstants.BASE_NAME + ".JSON")) {
            if (in == null) {
                Log.warn("no OpenAPI document built into the application: 405 answers carry no Allow header");
                return table;
            }
            JsonNode paths = new ObjectMapper().readTree(in).path("paths");
            paths.fields().forEachRemaining(entry -> {
                List<String> methods = new ArrayList<>();
                entry.getValue().fieldNames().forEachRemaining(name -> {
                    if (METHODS.contains(name)) {
                        methods.add(name.toUpperCase(Locale.ROOT));
                    }
                });
                // a template's {parameter} is one path segment
                String regex = Pattern.quote(entry.getKey()).replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q");
                table.put(Pattern.compile(regex), String.join(", ", methods));
            });
        } catch (IOException e) {
            Log.warn("the OpenAPI document built into the application could not be read: 405 answers carry no Allow header", e);
        }
        return table;
    }
}
