package dev.tenantdeletion.orchestrator.rest;

import static dev.tenantdeletion.orchestrator.support.Api.JOBS;
import static dev.tenantdeletion.orchestrator.support.Api.as;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.BearerChallenges;
import dev.tenantdeletion.testing.OpenApiAssertions;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Who may call which orchestrator endpoint, and what bad input answers. Every error body is JSON. */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class AuthorisationAndInputTest {

    private static final Duration FINISH = Duration.ofSeconds(20);
    private final FakeServices fake = FakeServices.current();

    /** A token kind, as in the services' contract suite, and the statuses each endpoint answers it. */
    record TokenCase(String name, String token, Set<Integer> create, int read, int retry, int preview) {
    }

    private static List<TokenCase> tokenCases(UUID tenant) {
        UUID other = UUID.randomUUID();
        Set<Integer> accepted = Set.of(200, 202);
        return List.of(
                new TokenCase("no token", null, Set.of(401), 401, 401, 401),
                new TokenCase("malformed", TestTokens.malformed(), Set.of(401), 401, 401, 401),
                new TokenCase("expired", TestTokens.expired(), Set.of(401), 401, 401, 401),
                new TokenCase("expired 10 s ago (leeway is at most 5 s)", TestTokens.expiredSecondsAgo(10), Set.of(401), 401, 401, 401),
                new TokenCase("not yet valid", TestTokens.notYetValid(), Set.of(401), 401, 401, 401),
                // the tokens are minted before the loop, which takes more than a few seconds: 60 s ahead stays outside the
                // leeway to the end (tokenClockLeewayIsAFewSeconds checks the 5 s bound with fresh tokens)
                new TokenCase("valid only in 60 s", TestTokens.notBeforeSecondsAhead(60), Set.of(401), 401, 401, 401),
                new TokenCase("without exp", TestTokens.withoutExpiry(), Set.of(401), 401, 401, 401),
                new TokenCase("wrong signature", TestTokens.wrongSignature(), Set.of(401), 401, 401, 401),
                new TokenCase("wrong issuer", TestTokens.wrongIssuer(), Set.of(401), 401, 401, 401),
                new TokenCase("alg none", TestTokens.algNone(), Set.of(401), 401, 401, 401),
                new TokenCase("HS256 keyed with the public key", TestTokens.hs256WithPublicKey(), Set.of(401), 401, 401, 401),
                new TokenCase("without aud", TestTokens.withoutAudience(), Set.of(401), 401, 401, 401),
                new TokenCase("service token for pos-service", TestTokens.serviceFor("pos-service"), Set.of(401), 401, 401, 401),
                new TokenCase("aud an array naming services only", TestTokens.serviceForAudiences("pos-service", "alert-processor"),
                        Set.of(401), 401, 401, 401),
                new TokenCase("owner of the tenant, token for pos-service", TestTokens.userFor("pos-service", "owner", tenant),
                        Set.of(401), 401, 401, 401),
                new TokenCase("service, aud an array naming the orchestrator",
                        TestTokens.serviceForAudiences("pos-service", "orchestrator"), accepted, 200, 409, 200),
                new TokenCase("without type claim", TestTokens.withoutType(), Set.of(403), 403, 403, 403),
                new TokenCase("member of the tenant", TestTokens.user("member", tenant), Set.of(403), 403, 403, 403),
                new TokenCase("admin of another tenant", TestTokens.user("admin", other), Set.of(403), 403, 403, 403),
                new TokenCase("owner of another tenant", TestTokens.user("owner", other), Set.of(403), 403, 403, 403),
                new TokenCase("admin of the tenant", TestTokens.user("admin", tenant), Set.of(403), 200, 403, 200),
                new TokenCase("owner of the tenant", TestTokens.user("owner", tenant), accepted, 200, 403, 200),
                // the job of the tenant is completed: a service may ask for a retry, which is refused as not retryable
                new TokenCase("service", TestTokens.service(), accepted, 200, 409, 200));
    }

    @Test
    void authorisationMatrixForEveryEndpoint() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 5));
        String jobId = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        assertEquals("completed", awaitFinal(TestTokens.service(), jobId, FINISH).jsonPath().getString("status"));

        for (TokenCase c : tokenCases(tenant)) {
            check(c, ": GET job", c.read(), Api.job(c.token(), jobId));
            check(c, ": GET list", c.read(), as(c.token()).queryParam("tenant_id", tenant.toString()).get(JOBS));
            check(c, ": retry", c.retry(), Api.retry(c.token(), jobId));
            check(c, ": preview", c.preview(), Api.preview(c.token(), tenant.toString()));
            check(c, ": GET hold", c.read() == 200 ? 404 : c.read(), as(c.token()).get(Api.hold(tenant.toString())));
            Response created = Api.submit(c.token(), tenant);
            assertTrue(c.create().contains(created.statusCode()), c.name() + ": POST answered " + created.statusCode() + " " + created.asString());
            assertJsonError(created, c.name());
            BearerChallenges.assertChallenge(c.name() + ": POST", c.token(), created);
            if (created.statusCode() < 300) {
                awaitFinal(TestTokens.service(), created.jsonPath().getString("job_id"), FINISH);
            }
        }
        // a user asking for another tenant's list is refused; without tenant_id the user sees the own tenant
        check("owner listing another tenant", 403,
                as(TestTokens.user("owner", tenant)).queryParam("tenant_id", UUID.randomUUID().toString()).get(JOBS));
        Response own = as(TestTokens.user("admin", tenant)).get(JOBS);
        own.then().statusCode(200);
        assertTrue(own.jsonPath().getList("items.tenant_id").stream().allMatch(tenant.toString()::equals), own.asString());
        assertTrue(own.jsonPath().getInt("total") >= 3, "the service's job and those the owner and service created");
        // the job of one tenant is not readable by a user of another tenant
        check("admin of another tenant reading the job", 403, Api.job(TestTokens.user("admin", UUID.randomUUID()), jobId));
    }

    @Test
    void listIsNewestFirstPagedAndFiltered() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 5));
        fake.behaviour("pos-service", tenant).clientError(409);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
            awaitFinal(TestTokens.service(), id, FINISH);
            ids.add(id);
        }
        fake.behaviour("pos-service", tenant).recover();
        String last = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        assertEquals("completed", awaitFinal(TestTokens.service(), last, FINISH).jsonPath().getString("status"));
        ids.add(last);

        Response page0 = as(TestTokens.service()).queryParam("tenant_id", tenant.toString()).queryParam("size", "3").get(JOBS);
        page0.then().statusCode(200).body("page", equalTo(0)).body("size", equalTo(3)).body("total", equalTo(4));
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), page0.jsonPath().getList("items.job_id"));
        Response page1 = as(TestTokens.service()).queryParam("tenant_id", tenant.toString()).queryParam("size", "3")
                .queryParam("page", "1").get(JOBS);
        assertEquals(List.of(ids.get(0)), page1.jsonPath().getList("items.job_id"));
        Response failed = as(TestTokens.service()).queryParam("tenant_id", tenant.toString()).queryParam("status", "partially_failed").get(JOBS);
        failed.then().statusCode(200).body("total", equalTo(3)).body("size", equalTo(20));
        Response completed = as(TestTokens.user("owner", tenant)).queryParam("status", "completed").get(JOBS);
        assertEquals(List.of(last), completed.jsonPath().getList("items.job_id"));
        assertEquals(3, page0.jsonPath().getInt("items[0].services_total"), "items are whole jobs");

        check("size above 100", 400, as(TestTokens.service()).queryParam("size", "101").get(JOBS));
        check("size 0", 400, as(TestTokens.service()).queryParam("size", "0").get(JOBS));
        check("negative page", 400, as(TestTokens.service()).queryParam("page", "-1").get(JOBS));
        check("page not a number", 400, as(TestTokens.service()).queryParam("page", "x").get(JOBS));
        check("unknown status", 400, as(TestTokens.service()).queryParam("status", "done").get(JOBS));
        check("bad tenant filter", 400, as(TestTokens.service()).queryParam("tenant_id", "abc").get(JOBS));
    }

    @Test
    void badInputIsA400WithAJsonBody() {
        String service = TestTokens.service();
        String valid = UUID.randomUUID().toString();
        for (String tenant : List.of("abc", "{" + valid + "}", "urn:uuid:" + valid, valid.replace("-", ""), valid + "0",
                "' or '1'='1", "a".repeat(10_000))) {
            Response response = Api.submit(service, "{\"tenant_id\":\"" + tenant + "\"}");
            check("tenant_id " + tenant.substring(0, Math.min(40, tenant.length())), 400, response);
            response.then().body("error", equalTo("invalid_tenant_id"));
        }
        check("missing tenant_id", 400, Api.submit(service, "{\"tenant_name\":\"Bakery\"}"));
        check("tenant_id null", 400, Api.submit(service, "{\"tenant_id\":null}"));
        check("empty body", 400, Api.submit(service, ""));
        Response malformed = Api.submit(service, "{\"tenant_id\": ");
        check("malformed JSON", 400, malformed);
        malformed.then().body("error", equalTo("invalid_request"));
        check("JSON array", 400, Api.submit(service, "[]"));
        check("JSON string", 400, Api.submit(service, "\"" + valid + "\""));
        check("tenant_name too long", 400, Api.submit(service, "{\"tenant_id\":\"" + valid + "\",\"tenant_name\":\"" + "n".repeat(300) + "\"}"));
        check("text/plain", 415, as(service).contentType("text/plain").body("{\"tenant_id\":\"" + valid + "\"}").post(JOBS));
        check("no content type", 415, as(service).body("tenant_id=" + valid).post(JOBS));

        for (Function<String, Response> call : List.<Function<String, Response>>of(id -> Api.job(service, id), id -> Api.retry(service, id))) {
            for (String id : List.of(UUID.randomUUID().toString(), "not-a-job")) {
                Response response = call.apply(id);
                check("unknown job " + id, 404, response);
                response.then().body("error", equalTo("job_not_found"));
            }
        }
        check("preview of a bad tenant id", 400, Api.preview(service, "abc"));
        Api.preview(service, "abc").then().body("error", equalTo("invalid_tenant_id"));
        check("unknown path", 404, as(service).get("/api/v1/nothing-here"));
        Response notAllowed = as(service).delete(JOBS);
        check("method not allowed", 405, notAllowed);
        assertEquals(java.util.Set.of("GET", "POST"), java.util.Set.of(notAllowed.header("Allow").split("\\s*,\\s*")), "405 Allow");
    }

    @Test
    void upperCaseTenantIdIsTheSameTenant() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 5));
        fake.behaviour("pos-service", tenant).sleep(500);
        Response first = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + tenant.toString().toUpperCase(Locale.ROOT) + "\"}");
        first.then().statusCode(202).body("tenant_id", equalTo(tenant.toString()));
        Api.submit(TestTokens.service(), tenant).then().statusCode(200).body("job_id", equalTo(first.jsonPath().getString("job_id")));
        awaitFinal(TestTokens.service(), first.jsonPath().getString("job_id"), FINISH);
    }

    /** exp and nbf are checked with at most 5 s of leeway: a token expired 3 s ago still passes. */
    @Test
    void tokenClockLeewayIsAFewSeconds() {
        UUID tenant = UUID.randomUUID();
        check("expired 3 s ago", 200, Api.preview(TestTokens.expiredSecondsAgo(3), tenant.toString()));
        check("valid in 3 s", 200, Api.preview(TestTokens.notBeforeSecondsAhead(3), tenant.toString()));
        for (String token : List.of(TestTokens.expiredSecondsAgo(10), TestTokens.notBeforeSecondsAhead(10))) {
            Response created = Api.submit(token, tenant);
            check("create with a token outside the leeway", 401, created);
            BearerChallenges.assertChallenge("create", token, created);
        }
        as(TestTokens.service()).queryParam("tenant_id", tenant.toString()).get(JOBS).then().statusCode(200).body("total", equalTo(0));
    }

    /** Every 401 of every endpoint, the job resource's and the legal hold's, carries the RFC 6750 challenge. */
    @Test
    void every401CarriesTheBearerChallenge() {
        String tenant = UUID.randomUUID().toString();
        String job = JOBS + "/" + UUID.randomUUID();
        for (String token : java.util.Arrays.asList(null, TestTokens.malformed(), TestTokens.wrongSignature(), TestTokens.expired(),
                TestTokens.algNone(), TestTokens.withoutAudience(), TestTokens.serviceFor("pos-service"))) {
            List<Response> answers = List.of(Api.submit(token, UUID.fromString(tenant)), as(token).get(JOBS), as(token).get(job),
                    as(token).post(job + "/cancel"), Api.executeNow(token, UUID.randomUUID().toString(), "{\"reason\":\"now\"}"),
                    Api.placeHold(token, tenant, "{\"reason\":\"court\"}"), as(token).delete(Api.hold(tenant)),
                    Api.preview(token, tenant), Api.certificate(token, UUID.randomUUID().toString()));
            for (Response answer : answers) {
                check("token " + token, 401, answer);
                BearerChallenges.assertChallenge("token " + token, token, answer);
            }
        }
        Response basic = as(null).header("Authorization", "Basic dXNlcjpwYXNz").get(JOBS);
        check("Basic credentials", 401, basic);
        assertEquals("Bearer", basic.header("WWW-Authenticate"), "another scheme sends no bearer token");
        Response forbidden = as(TestTokens.user("member", UUID.randomUUID())).get(JOBS);
        check("member", 403, forbidden);
        assertEquals(null, forbidden.header("WWW-Authenticate"), "only 401s are challenges");
    }

    /**
     * A new job's tenant_name and reason: no NUL, no control character (a reason may span lines: tab, CR and LF are
     * allowed there), at most 255 and 1,000 characters; anything else is a 400 invalid_request and no job.
     */
    @Test
    void badTenantNameOrReasonIsRefusedAndNothingStored() {
        UUID tenant = UUID.randomUUID();
        String service = TestTokens.service();
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("reason with NUL", "\"reason\":\"a\\u0000b\"");
        bad.put("reason with ESC", "\"reason\":\"red \\u001b[31m\"");
        bad.put("reason with DEL", "\"reason\":\"a\\u007fb\"");
        bad.put("reason with a C1 control", "\"reason\":\"a\\u0085b\"");
        bad.put("reason of 1,001 characters", "\"reason\":\"" + "r".repeat(1001) + "\"");
        bad.put("reason of 1,001 emoji", "\"reason\":" + Api.jsonString("\uD83D\uDE00".repeat(1001)));
        bad.put("reason blank", "\"reason\":\"   \"");
        bad.put("tenant_name with NUL", "\"tenant_name\":\"Bakery\\u0000\"");
        bad.put("tenant_name with a newline", "\"tenant_name\":\"Bakery\\nInjected: yes\"");
        bad.put("tenant_name with a tab", "\"tenant_name\":\"Bak\\tery\"");
        bad.put("tenant_name with BEL", "\"tenant_name\":\"Bakery\\u0007\"");
        bad.put("tenant_name of 256 characters", "\"tenant_name\":\"" + "n".repeat(256) + "\"");
        for (java.util.Map.Entry<String, String> c : bad.entrySet()) {
            Response response = Api.submit(service, "{\"tenant_id\":\"" + tenant + "\"," + c.getValue() + "}");
            check(c.getKey(), 400, response);
            response.then().body("error", equalTo("invalid_request"));
        }
        as(service).queryParam("tenant_id", tenant.toString()).get(JOBS).then().statusCode(200).body("total", equalTo(0));

        // 255 emoji are 255 characters, a reason may span lines, and bidirectional text is text
        String name = "\uD83E\uDD50".repeat(255);
        String reason = "customer left\r\n\tsee ticket \u05E9\u05DC\u05D5\u05DD \u202Emixed\u202C";
        Response created = Api.submit(service, "{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":" + Api.jsonString(name)
                + ",\"reason\":" + Api.jsonString(reason) + "}");
        created.then().statusCode(202).body("tenant_name", equalTo(name)).body("reason", equalTo(reason));
        awaitFinal(service, created.jsonPath().getString("job_id"), FINISH);
    }

    /** A body that is not a JSON object, on every endpoint that takes one: 400 invalid_request, nothing done. */
    @Test
    void aBodyThatIsNotAJsonObjectIsInvalidRequest() {
        String service = TestTokens.service();
        UUID tenant = UUID.randomUUID();
        String job = Api.submit(service, "{\"tenant_id\":\"" + tenant + "\",\"grace_period\":\"P1D\"}")
                .then().statusCode(202).extract().jsonPath().getString("job_id");
        for (String body : List.of("{bad", "[]", "\"x\"", "{\"tenant_id\": ", "42", "[{\"reason\":\"x\"}]")) {
            List<Response> answers = List.of(Api.submit(service, body), Api.executeNow(TestTokens.adminService(), job, body),
                    Api.placeHold(TestTokens.adminService(), tenant, body));
            for (Response answer : answers) {
                check("body " + body, 400, answer);
                answer.then().body("error", equalTo("invalid_request"));
            }
        }
        Api.job(service, job).then().statusCode(200).body("status", equalTo("scheduled"));
        as(service).get(Api.hold(tenant.toString())).then().statusCode(404);
        Api.cancel(service, job).then().statusCode(200);
    }

    private static void check(TokenCase c, String what, int status, Response response) {
        check(c.name() + what, status, response);
        BearerChallenges.assertChallenge(c.name() + what, c.token(), response);
    }

    private static void check(String label, int status, Response response) {
        assertEquals(status, response.statusCode(), label + ": " + response.asString());
        assertJsonError(response, label);
    }

    private static void assertJsonError(Response response, String label) {
        if (response.statusCode() < 400) {
            return;
        }
        assertTrue(response.contentType() != null && response.contentType().startsWith("application/json"),
                label + ": content type " + response.contentType());
        response.then().body("error", notNullValue()).body("message", notNullValue());
    }

    /**
     * What the orchestrator serves at /q/openapi is docs/openapi/orchestrator.json: the copy Redocly lints, the README
     * links and platform-tests generates its client from, so none of them can drift from the served document.
     */
    @Test
    void servedOpenApiIsTheCommittedCopy() {
        dev.tenantdeletion.testing.ServedDocument.assertCommitted("orchestrator");
    }

    /** /q/openapi describes every orchestrator path and status code of the contract, each with a schema and an example. */
    @Test
    void openApiDescribesEveryPathAndStatus() {
        OpenApiAssertions.assertDescribed(java.util.Map.of(
                "/api/v1/deletion-jobs post", List.of("200", "202", "400", "401", "403", "415", "503"),
                "/api/v1/deletion-jobs get", List.of("200", "400", "401", "403"),
                "/api/v1/deletion-jobs/{jobId} get", List.of("200", "401", "403", "404"),
                "/api/v1/deletion-jobs/{jobId}/retry post", List.of("202", "401", "403", "404", "409", "503"),
                "/api/v1/tenants/{tenantId}/deletion-preview get", List.of("200", "400", "401", "403", "503")));
    }
}
