package dev.tenantdeletion.deletion.error;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A request no route handles gets a JSON 404 instead of Vert.x's plain-text page. */
@ApplicationScoped
public class UnmatchedRouteFallback {

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> ctx.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(new ErrorBody("not_found", "no resource at this path"))));
    }
}
