package dev.tenantdeletion.orchestrator.job.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * The error answers several job operations share, described once here (as {@code UnauthorizedResponses} does for
 * the 401) instead of on each resource method: 404 job_not_found for every operation with a {@code jobId} in its
 * path, 415 for every operation with a request body, and 503 for every operation that starts a deletion (marked
 * with the {@link #STARTS_A_DELETION} extension, which this filter takes out of the document). A response an
 * operation declares itself is kept.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class JobApiResponses implements OASFilter {

    /** Marks an operation that starts a deletion: refused while deletion is disabled or no service is registered. */
    public static final String STARTS_A_DELETION = "x-starts-a-deletion";

    @Override
    public Operation filterOperation(Operation operation) {
        boolean startsADeletion = operation.getExtensions() != null && operation.getExtensions().containsKey(STARTS_A_DELETION);
        if (startsADeletion) {
            operation.removeExtension(STARTS_A_DELETION);
        }
        if (operation.getResponses() == null) {
            return operation;
        }
        if (operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> parameter.getIn() == Parameter.In.PATH && "jobId".equals(parameter.getName()))) {
            addIfAbsent(operation, "404", "No job with this id", new Example("404", JobApiExamples.JOB_NOT_FOUND));
        }
        if (operation.getRequestBody() != null) {
            addIfAbsent(operation, "415", "The body is not application/json",
                    new Example("415", JobApiExamples.UNSUPPORTED_MEDIA_TYPE));
        }
        if (startsADeletion) {
            addIfAbsent(operation, "503", "DELETION_ENABLED=false (deletion_disabled), or no service is registered (no_services_registered)",
                    new Example("deletion_disabled", ErrorExamples.DELETION_DISABLED),
                    new Example("no_services_registered", JobApiExamples.NO_SERVICES_REGISTERED));
        }
        return operation;
    }

    /** An example answer: its name in the document and its JSON. */
    private record Example(String name, String json) {
    }

    /** A JSON error answer with the shared error body and its examples, unless the operation describes {@code status} itself. */
    private static void addIfAbsent(Operation operation, String status, String description, Example... examples) {
        if (operation.getResponses().hasAPIResponse(status)) {
            return;
        }
        MediaType json = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ErrorBody.class.getSimpleName()));
        for (Example example : examples) {
            json.addExample(example.name(), OASFactory.createExample().value(parse(example.json())));
        }
        operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json", json)));
    }

    private static Map<?, ?> parse(String json) {
        try {
            return new ObjectMapper().readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error example is not JSON: " + json, e);
        }
    }
}
