package dev.tenantdeletion.deletion.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Every operation that requires the {@code jwt} scheme answers 401 with the JSON error body: described here once for
 * every app (mp.openapi.filter in deletion-base's defaults) instead of on each resource class, with its
 * {@code WWW-Authenticate} header ({@link BearerChallenge}). Operations without that requirement (the JWKS) get no 401.
 */
public class UnauthorizedResponses implements OASFilter {

    private static final Map<?, ?> EXAMPLE = parse(ErrorExamples.UNAUTHORIZED);

    @Override
    public Operation filterOperation(Operation operation) {
        boolean secured = operation.getSecurity() != null
                && operation.getSecurity().stream().anyMatch(requirement -> requirement.hasScheme("jwt"));
        if (secured && operation.getResponses() != null) {
            if (!operation.getResponses().hasAPIResponse("401")) {
                operation.getResponses().addAPIResponse("401", OASFactory.createAPIResponse()
                        .description("Missing or invalid token")
                        .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(ErrorBody.class.getSimpleName()))
                                .addExample("unauthorized", OASFactory.createExample().value(EXAMPLE)))));
            }
            APIResponse unauthorized = operation.getResponses().getAPIResponse("401");
            if (unauthorized.getHeaders() == null || !unauthorized.getHeaders().containsKey(BearerChallenge.HEADER)) {
                unauthorized.addHeader(BearerChallenge.HEADER, OASFactory.createHeader()
                        .description("RFC 6750 challenge: Bearer; Bearer error=\"invalid_token\" when a token was sent")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                        .example(BearerChallenge.INVALID_TOKEN));
            }
        }
        return operation;
    }

    private static Map<?, ?> parse(String json) {
        try {
            return new ObjectMapper().readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the 401 example is not JSON", e);
        }
    }
}
