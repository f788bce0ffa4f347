package dev.tenantdeletion.deletion.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.junit.jupiter.api.Test;

/**
 * The shapes the scanner writes for nullable references and enums, and a public operation, as PortableOpenApi leaves
 * them: what a 3.0 validator reads as "null allowed" (before, a null started_at or blocked_by failed the document).
 */
class PortableOpenApiTest {

    @Test
    void nullableReferencesToScalarsAreWrittenInPlaceAndNullableEnumsListNull() {
        Schema startedAt = OASFactory.createSchema().description("when it started").anyOf(List.of(
                OASFactory.createSchema().ref("Instant"), OASFactory.createSchema().addType(SchemaType.NULL)));
        Schema cancelledAt = OASFactory.createSchema().addType(SchemaType.STRING).addType(SchemaType.NULL)
                .allOf(List.of(OASFactory.createSchema().ref("Instant")));
        Schema jobId = OASFactory.createSchema().ref("UUID");
        Schema blockedBy = OASFactory.createSchema().addType(SchemaType.STRING).addType(SchemaType.NULL)
                .enumeration(List.of("legal_hold"));
        Schema job = OASFactory.createSchema().addType(SchemaType.OBJECT).addProperty("started_at", startedAt)
                .addProperty("cancelled_at", cancelledAt).addProperty("job_id", jobId).addProperty("blocked_by", blockedBy);
        Operation jwks = OASFactory.createOperation().responses(OASFactory.createAPIResponses());
        OpenAPI api = OASFactory.createOpenAPI()
                .components(OASFactory.createComponents()
                        .addSchema("Instant", OASFactory.createSchema().addType(SchemaType.STRING).format("date-time"))
                        .addSchema("UUID", OASFactory.createSchema().addType(SchemaType.STRING).format("uuid"))
                        .addSchema("JobView", job))
                .paths(OASFactory.createPaths().addPathItem("/jwks", OASFactory.createPathItem().GET(jwks)));

        new PortableOpenApi().filterOpenAPI(api);

        for (Schema at : List.of(startedAt, cancelledAt)) {
            assertNull(at.getRef());
            assertNull(at.getAnyOf());
            assertNull(at.getAllOf());
            assertEquals(List.of(SchemaType.STRING, SchemaType.NULL), at.getType());
            assertEquals("date-time", at.getFormat());
        }
        assertEquals("when it started", startedAt.getDescription());
        assertEquals(List.of(SchemaType.STRING), jobId.getType());
        assertEquals("uuid", jobId.getFormat());
        assertNull(jobId.getRef());
        assertEquals(Arrays.asList("legal_hold", null), blockedBy.getEnumeration());
        assertEquals(List.of("JobView"), List.copyOf(api.getComponents().getSchemas().keySet()), "the scalar components are gone");
        assertEquals(List.of(), jwks.getSecurity(), "a public operation says security: []");
    }
}
