package dev.tenantdeletion.deletion.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.deletion.access.Uuids;
import dev.tenantdeletion.deletion.error.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST {base}/tenants/deletion-check. Read from the raw text rather than bound by the framework, so every
 * way it can be wrong (not JSON, not an object, an unknown field, no list, an empty or too long list, an entry that
 * is not a canonical UUID) is the same 400 invalid_request naming what is wrong, before any query runs.
 */
public record DeletionCheckRequest(
        @Schema(required = true, minItems = 1, maxItems = DeletionCheckRequest.MAX_TENANTS,
                description = "Tenant UUIDs, canonical form (upper-case hex is the same tenant)") List<String> tenantIds) {

    static final int MAX_TENANTS = 1000;
    private static final String FIELD = "tenant_ids";

    /** The tenants named, in the order given (duplicates kept: the engine asks for each once), or 400 invalid_request. */
    static List<UUID> parse(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw invalid("the body is not JSON; expected {\"" + FIELD + "\": [\"<uuid>\", ...]}");
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body must be a JSON object {\"" + FIELD + "\": [\"<uuid>\", ...]}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELD.equals(name)) {
                throw invalid("unknown field '" + shorten(name) + "'; the only field is " + FIELD);
            }
        }
        JsonNode ids = root.get(FIELD);
        if (ids == null || !ids.isArray()) {
            throw invalid(FIELD + " is required: an array of 1 to " + MAX_TENANTS + " tenant UUIDs");
        }
        if (ids.isEmpty() || ids.size() > MAX_TENANTS) {
            throw invalid(FIELD + " must hold 1 to " + MAX_TENANTS + " tenant UUIDs, holds " + ids.size());
        }
        List<UUID> tenants = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            int index = i;
            tenants.add(Uuids.canonical(id.isTextual() ? id.textValue() : null).orElseThrow(() -> invalid(FIELD + "[" + index
                    + "] is not a UUID in canonical form, e.g. 3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b")));
        }
        return tenants;
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    private static String shorten(String raw) {
        return raw.length() > 60 ? raw.substring(0, 60) + "…" : raw;
    }
}
