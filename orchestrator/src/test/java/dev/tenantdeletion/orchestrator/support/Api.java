package dev.tenantdeletion.orchestrator.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Calls to the orchestrator's API as the tests make them. */
public final class Api {

    public static final String JOBS = "/api/v1/deletion-jobs";

    private Api() {
    }

    public static RequestSpecification as(String token) {
        RequestSpecification spec = given().urlEncodingEnabled(false);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    public static Response submit(String token, UUID tenant) {
        return submit(token, "{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Test Bakery\",\"reason\":\"customer left\"}");
    }

    public static Response submit(String token, String body) {
        return as(token).contentType("application/json").body(body).post(JOBS);
    }

    public static Response job(String token, String jobId) {
        return as(token).get(JOBS + "/" + jobId);
    }

    public static Response retry(String token, String jobId) {
        return as(token).post(JOBS + "/" + jobId + "/retry");
    }

    public static Response cancel(String token, String jobId) {
        return as(token).post(JOBS + "/" + jobId + "/cancel");
    }

    public static Response executeNow(String token, String jobId, String body) {
        return as(token).contentType("application/json").body(body).post(JOBS + "/" + jobId + "/execute-now");
    }

    public static Response certificate(String token, String jobId) {
        return as(token).get(JOBS + "/" + jobId + "/certificate");
    }

    public static String hold(String tenant) {
        return "/api/v1/tenants/" + tenant + "/legal-hold";
    }

    public static Response placeHold(String token, Object tenant, String body) {
        return as(token).contentType("application/json").body(body).put(hold(tenant.toString()));
    }

    /** A JSON string literal of {@code text}, every character outside printable ASCII written as a JSON escape. */
    public static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /** An error answer: this status, a JSON body with {@code message} and this {@code error} (any, when null). */
    public static void assertError(String label, int status, String error, Response response) {
        assertEquals(status, response.statusCode(), label + ": " + response.asString());
        org.junit.jupiter.api.Assertions.assertTrue(response.contentType() != null && response.contentType().startsWith("application/json"),
                label + ": content type " + response.contentType());
        response.then().body("error", error == null ? org.hamcrest.Matchers.notNullValue() : org.hamcrest.Matchers.equalTo(error))
                .body("message", org.hamcrest.Matchers.notNullValue());
    }

    /** Polls {@code condition} until it holds; fails after {@code within}. */
    public static void await(String what, Duration within, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail(what + " did not happen within " + within);
    }

    public static Response preview(String token, String tenant) {
        return as(token).get("/api/v1/tenants/" + tenant + "/deletion-preview");
    }

    /** Polls the job until the condition holds on its JSON; fails after {@code within}. */
    public static Response awaitJob(String token, String jobId, Duration within, Predicate<Response> condition) {
        long deadline = System.nanoTime() + within.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = job(token, jobId);
            assertEquals(200, last.statusCode(), last.asString());
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("job " + jobId + " did not reach the expected state within " + within + "; last: " + (last == null ? null : last.asString()));
        return last;
    }

    /** Polls until the job leaves scheduled/pending/running. */
    public static Response awaitFinal(String token, String jobId, Duration within) {
        return awaitJob(token, jobId, within, r -> {
            String status = r.jsonPath().getString("status");
            return !"pending".equals(status) && !"running".equals(status) && !"scheduled".equals(status);
        });
    }

    public static String serviceStatus(Response job, String service) {
        return job.jsonPath().getString("services.find { it.service == '" + service + "' }.status");
    }

    public static Map<String, Long> longs(Response response, String path) {
        Map<String, Object> raw = response.jsonPath().getMap(path);
        Map<String, Long> counts = new LinkedHashMap<>();
        raw.forEach((key, value) -> counts.put(key, ((Number) value).longValue()));
        return counts;
    }
}
