package dev.tenantdeletion.deletion.error;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every error, the framework's own included, into a JSON body with the right status.
 * Authentication is not proactive (see microprofile-config.properties) so that token failures reach
 * these mappers instead of leaving an empty 401; the 401's WWW-Authenticate header is {@link BearerChallenge}'s.
 */
public class ErrorMappers {

    /** The contract's code for a request the API cannot take as it is (a body, a field, a parameter). */
    public static final String INVALID_REQUEST = "invalid_request";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(e.error(), e.getMessage(), e.summary()));
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e) {
        return json(401, new ErrorBody("unauthorized", "a valid bearer token (RS256, right issuer, not expired) is required"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(403, new ErrorBody("forbidden", "this token does not allow the operation"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Response response = web(e);
        if (response.getStatus() == 405 && response.getHeaderString(HttpHeaders.ALLOW) == null && request != null) {
            return AllowedMethods.of(request.path())
                    .map(allow -> Response.fromResponse(response).header(HttpHeaders.ALLOW, allow).build())
                    .orElse(response);
        }
        return response;
    }

    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return JsonBodyErrors.invalid(json);
        }
        if (status >= 500) {
            Log.error("request failed", e);
        }
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(codeFor(status), e.getMessage()));
        // a 405 says which methods the resource has (RFC 9110 15.5.6): the framework's exception carries them
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (status == 405 && allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.error("unexpected error while handling a request", e);
        return json(500, new ErrorBody("internal_error", "unexpected server error; see the service log"));
    }

    public static Response json(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 415 -> "unsupported_media_type";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }
}
