package dev.tenantdeletion.orchestrator.job.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that is not the JSON object expected (an array, a string, broken JSON): 400 with a
 * JSON error body, never the framework's empty 400 or a 500. Only reading errors are mapped here: a
 * failure to write an answer stays a 500.
 */
public class JsonBodyErrors {

    /** A field the contract does not name: refused (quarkus.jackson.fail-on-unknown-properties), nothing stored. */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return ErrorMappers.json(400, new ErrorBody("invalid_request", "unknown field '" + e.getPropertyName()
                + "'; known fields: " + e.getKnownPropertyIds()));
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return invalid(e);
    }

    @ServerExceptionMapper
    public Response malformed(StreamReadException e) {
        return invalid(e);
    }

    private static Response invalid(JsonProcessingException e) {
        return ErrorMappers.json(400, new ErrorBody("invalid_json",
                "the request body is not the JSON object expected: " + e.getOriginalMessage()));
    }
}
