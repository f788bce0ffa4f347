package dev.tenantdeletion.deletion.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** The framework's own errors become JSON bodies with their status (415 cannot be provoked over HTTP on a service). */
class ErrorMappersTest {

    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void frameworkErrorsKeepTheirStatusAndGetACode() {
        assertMapped(new jakarta.ws.rs.BadRequestException(), 400, "invalid_request");
        assertMapped(new NotFoundException(), 404, "not_found");
        assertMapped(new NotAllowedException("GET"), 405, "method_not_allowed");
        assertMapped(new NotAcceptableException(), 406, "not_acceptable");
        assertMapped(new NotSupportedException(), 415, "unsupported_media_type");
        assertMapped(new WebApplicationException(Response.Status.SERVICE_UNAVAILABLE), 503, "service_unavailable");
    }

    /** A 405 keeps the framework's Allow header (it was dropped with the framework's body before). */
    @Test
    void methodNotAllowedSaysWhichMethodsAre() {
        Response response = mappers.web(new NotAllowedException("GET", new String[] {"DELETE"}));
        assertEquals(405, response.getStatus());
        String allow = response.getHeaderString("Allow");
        assertEquals(java.util.Set.of("GET", "DELETE"), java.util.Set.of(allow.split("\\s*,\\s*")), allow);
    }

    /** Broken JSON, wrapped by the REST layer's JSON reader in a 400, is the contract's invalid_request with the reason. */
    @Test
    void brokenJsonBodiesAreInvalidRequest() {
        var broken = new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected character ('b')");
        Response response = mappers.web(new WebApplicationException(broken, Response.Status.BAD_REQUEST));
        assertEquals(400, response.getStatus());
        ErrorBody body = (ErrorBody) response.getEntity();
        assertEquals("invalid_request", body.error());
        assertEquals("the request body is not the JSON object expected: Unexpected character ('b')", body.message());
    }

    @Test
    void apiExceptionsCarryTheirCodeAndSummary() {
        Response response = mappers.api(new ApiException(409, "foreign_key_conflict", "referenced", "the summary"));
        assertEquals(409, response.getStatus());
        assertEquals(new ErrorBody("foreign_key_conflict", "referenced", "the summary"), response.getEntity());
    }

    private void assertMapped(WebApplicationException e, int status, String code) {
        Response response = mappers.web(e);
        assertEquals(status, response.getStatus());
        assertEquals("application/json", response.getMediaType().toString());
        assertEquals(code, ((ErrorBody) response.getEntity()).error());
    }
}
