package dev.tenantdeletion.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A service's access policy ({@code AccessPolicy} of deletion-base) as one table: every kind of valid token × every
 * endpoint, each cell the status the real endpoint answers, on a seeded tenant of its own; a refused call changes no
 * row. No service operation needs a scope: a service token's scope neither adds nor takes a right (the admin scope
 * matters to the orchestrator only), and a user's scope counts for nothing. Part of the contract suite, so every
 * service and both test schemas run it; invalid tokens (401) are {@link DeletionContractSuite}'s matrix.
 */
public abstract class AccessPolicySuite extends ExportSuite {

    private static final String TABLE = """
            | token kind                                | preview | deletion check | delete | export |
            | service, no scope                         | 200     | 200            | 200    | 200    |
            | service, another scope                    | 200     | 200            | 200    | 200    |
            | service, scope deletion:admin             | 200     | 200            | 200    | 200    |
            | service, deletion:admin among others      | 200     | 200            | 200    | 200    |
            | service, scope as a JSON array            | 200     | 200            | 200    | 200    |
            | owner of the tenant                       | 200     | 403            | 403    | 200    |
            | owner of the tenant, scope deletion:admin | 200     | 403            | 403    | 200    |
            | admin of the tenant                       | 200     | 403            | 403    | 403    |
            | member of the tenant                      | 403     | 403            | 403    | 403    |
            | owner of another tenant                   | 403     | 403            | 403    | 403    |
            | admin of another tenant                   | 403     | 403            | 403    | 403    |
            | no type claim                             | 403     | 403            | 403    | 403    |
            | no type claim, scope deletion:admin       | 403     | 403            | 403    | 403    |
            """;

    private static final List<String> OPERATIONS = List.of("preview", "deletion check", "delete", "export");

    /** The token of each row, for the tenant of the cell. */
    private static final Map<String, Function<UUID, String>> KINDS = TestTokens.accessKinds();

    static Stream<Arguments> accessCells() {
        List<List<String>> lines = TABLE.lines().map(line -> Arrays.stream(line.split("\\|")).map(String::trim)
                .filter(cell -> !cell.isEmpty()).toList()).toList();
        assertEquals(OPERATIONS, lines.get(0).subList(1, lines.get(0).size()), "the table's columns");
        List<String> kinds = new ArrayList<>();
        List<Arguments> cells = new ArrayList<>();
        for (List<String> line : lines.subList(1, lines.size())) {
            assertEquals(OPERATIONS.size() + 1, line.size(), "cells of " + line);
            kinds.add(line.get(0));
            for (int column = 0; column < OPERATIONS.size(); column++) {
                cells.add(Arguments.of(line.get(0), OPERATIONS.get(column), Integer.parseInt(line.get(column + 1))));
            }
        }
        assertEquals(new ArrayList<>(KINDS.keySet()), kinds, "the table's rows");
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} × {1} → {2}")
    @MethodSource("accessCells")
    void accessPolicyTable(String kind, String operation, int expected) {
        UUID tenant = seededTenant(5);
        Map<String, Long> seeded = counts(tenant);
        Map<String, String> before = checksums(tenant);
        String token = KINDS.get(kind).apply(tenant);
        Response response = switch (operation) {
            case "preview" -> preview(token, tenant);
            case "deletion check" -> check(token, body(List.of(tenant)));
            case "delete" -> delete(token, tenant);
            case "export" -> export(token, tenant.toString());
            default -> throw new IllegalArgumentException(operation);
        };
        String label = kind + " × " + operation;
        assertEquals(expected, response.statusCode(), label + ": " + response.asString());
        String contentType = expected == 200 && operation.equals("export") ? "application/x-ndjson" : "application/json";
        assertTrue(response.contentType().startsWith(contentType), label + ": content type " + response.contentType());
        if (expected == 403) {
            response.then().body("error", equalTo("forbidden")).body("message", notNullValue());
            assertNull(response.header("WWW-Authenticate"), label + ": only 401s are challenges");
            assertEquals(before, checksums(tenant), label + ": a refused call changed rows");
            return;
        }
        switch (operation) {
            case "preview" -> assertEquals(seeded, longs(response, "data_counts"), label);
            case "deletion check" -> assertEquals(seeded, longs(response, "tenants.'" + tenant + "'"), label);
            case "export" -> assertEquals(seeded, TenantExportLines.of(response.asString()).summaryCounts(), label);
            default -> assertEquals(0L, TestDb.total(counts(tenant)), label + ": rows left");
        }
    }
}
