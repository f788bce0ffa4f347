package dev.tenantdeletion.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The feature flag off: run by a service with {@code @TestProfile(DeletionDisabledProfile.class)}. */
public abstract class DisabledDeletionSuite extends ServiceTestSupport {

    @Test
    void deleteIs503AndPreviewStillWorks() {
        UUID tenant = seededTenant(40);
        Map<String, String> before = checksums(tenant);
        delete(TestTokens.service(), tenant).then().statusCode(503)
                .body("error", equalTo("deletion_disabled"))
                .body("message", org.hamcrest.Matchers.notNullValue());
        preview(TestTokens.service(), tenant).then().statusCode(200)
                .body("total_items", equalTo((int) TestDb.total(counts(tenant))));
        assertEquals(before, checksums(tenant));
        // the flag does not change who may call: a user still gets 403, no token 401
        delete(TestTokens.user("owner", tenant), tenant).then().statusCode(403);
        delete(null, tenant).then().statusCode(401);
    }

    /** The deletion check is a read, like the preview: the flag does not stop re-verification from seeing rows. */
    @Test
    void deletionCheckStillWorks() {
        UUID tenant = seededTenant(40);
        Map<String, String> before = checksums(tenant);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + TestTokens.service()).contentType("application/json")
                .body("{\"tenant_ids\": [\"" + tenant + "\", \"" + UUID.randomUUID() + "\"]}")
                .post(basePath + "/tenants/deletion-check").then().statusCode(200)
                .body("tenants.size()", equalTo(1))
                .body("tenants.'" + tenant + "'.values().sum()", equalTo((int) TestDb.total(counts(tenant))));
        assertEquals(before, checksums(tenant));
    }
}
