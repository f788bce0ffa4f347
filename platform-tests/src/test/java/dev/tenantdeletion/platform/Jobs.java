package dev.tenantdeletion.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.testing.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The orchestrator's job API as the platform tests of issue 27 use it (RollingDeployIT, PgBouncerIT, ThirteenServicesIT). */
final class Jobs {

    static final Set<String> FINAL = Set.of("completed", "partially_failed", "failed");

    private Jobs() {
    }

    static RequestSpecification asService() {
        return given().header("Authorization", "Bearer " + Platform.token("orchestrator"));
    }

    /** A service token of the orchestrator's audience with scope deletion:admin (legal holds). */
    static RequestSpecification asAdmin() {
        Map<String, Object> claims = TestTokens.claimsFor(Platform.name("orchestrator"), "platform-tests", "service", null, null);
        claims.put("scope", "deletion:admin");
        return given().header("Authorization", "Bearer " + TestTokens.rs256(claims));
    }

    static Response create(App orchestrator, UUID tenant) {
        return asService().contentType("application/json")
                .body("{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Platform test\",\"reason\":\"platform-tests\"}")
                .post(orchestrator.baseUri() + "/api/v1/deletion-jobs");
    }

    static String post(App orchestrator, UUID tenant) {
        Response created = create(orchestrator, tenant);
        assertEquals(202, created.statusCode(), created.asString());
        String jobId = created.jsonPath().getString("job_id");
        assertNotNull(jobId, created.asString());
        return jobId;
    }

    static Response job(App orchestrator, String jobId) {
        return asService().get(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId);
    }

    /** Polls the job until it is final (connection errors while the orchestrator restarts are retried). */
    static Response awaitFinal(App orchestrator, String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            try {
                Response job = job(orchestrator, jobId);
                last = job.asString();
                if (job.statusCode() == 200 && FINAL.contains(job.jsonPath().getString("status"))) {
                    return job;
                }
            } catch (Exception notNow) {
                last = notNow.toString();
            }
            Thread.sleep(200);
        }
        fail("job " + jobId + " not final within " + timeout + "; last answer: " + last + "\norchestrator log:\n" + orchestrator.tail());
        return null;
    }

    static Map<String, Object> service(Response job, String name) {
        List<Map<String, Object>> services = job.jsonPath().getList("services");
        return services.stream().filter(s -> name.equals(s.get("service"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + job.asString()));
    }

    static Map<String, String> statuses(Response job) {
        Map<String, String> statuses = new LinkedHashMap<>();
        List<Map<String, Object>> services = job.jsonPath().getList("services");
        services.forEach(s -> statuses.put((String) s.get("service"), (String) s.get("status")));
        return statuses;
    }

    static long number(Map<String, Object> service, String field) {
        return ((Number) service.get(field)).longValue();
    }
}
