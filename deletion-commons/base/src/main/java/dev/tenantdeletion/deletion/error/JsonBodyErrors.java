package dev.tenantdeletion.deletion.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that is not the JSON object expected — broken JSON, an array, a string, a number, a field the
 * contract does not name — is a 400 invalid_request with a JSON body in every app, never the framework's empty 400
 * or a 500. Only reading errors are mapped here: a failure to write an answer stays a 500. (Broken JSON that the
 * REST layer wraps in a 400 WebApplicationException is answered alike by {@link ErrorMappers#web}.)
 */
public class JsonBodyErrors {

    /** A field the contract does not name, where an app refuses them (quarkus.jackson.fail-on-unknown-properties). */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return ErrorMappers.json(400, new ErrorBody(ErrorMappers.INVALID_REQUEST, "unknown field '" + e.getPropertyName()
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

    static Response invalid(JsonProcessingException e) {
        return ErrorMappers.json(400, new ErrorBody(ErrorMappers.INVALID_REQUEST,
                "the request body is not the JSON object expected: " + e.getOriginalMessage()));
    }
}
