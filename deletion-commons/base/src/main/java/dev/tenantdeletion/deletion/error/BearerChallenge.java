package dev.tenantdeletion.deletion.error;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * RFC 6750: every 401 carries {@code WWW-Authenticate: Bearer}, with {@code error="invalid_token"} when the request
 * sent a bearer token. Set here, on the HTTP response itself, so that every 401 gets it whoever produced it: the
 * JSON error mappers (token failures of SmallRye JWT, a missing token), an {@link ApiException}, or Quarkus' own
 * HTTP authentication challenge (whose plain "Bearer" this replaces). The body is left as it is.
 */
@ApplicationScoped
public class BearerChallenge {

    public static final String HEADER = "WWW-Authenticate";
    static final String NO_TOKEN = "Bearer";
    static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

    void register(@Observes Router router) {
        // the earliest order (Quarkus' RouteConstants.ROUTE_ORDER_HEADERS): before authentication can answer
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            ctx.addHeadersEndHandler(ignored -> {
                if (ctx.response().getStatusCode() == 401) {
                    ctx.response().headers().set(HEADER, challenge(ctx.request()));
                }
            });
            ctx.next();
        });
    }

    static String challenge(HttpServerRequest request) {
        return challenge(request.getHeader("Authorization"));
    }

    /** The challenge for a request with this Authorization header (null: none). Another scheme sent no bearer token. */
    public static String challenge(String authorization) {
        if (authorization == null) {
            return NO_TOKEN;
        }
        String value = authorization.strip();
        boolean bearer = value.regionMatches(true, 0, "Bearer ", 0, 7) && !value.substring(7).isBlank();
        return bearer ? INVALID_TOKEN : NO_TOKEN;
    }
}
