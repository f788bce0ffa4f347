package dev.tenantdeletion.deletion.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Makes every app's document read the same in every OpenAPI 3.0 tool (the validator of the tests, Redocly, the client
 * generator), whatever the scanner wrote:
 * <ul>
 * <li>A scalar component (the scanner's {@code UUID} and {@code Instant}: a string with a format) is written in place
 * of every reference to it. A nullable reference would otherwise be {@code nullable: true} next to {@code allOf: [$ref]},
 * and in OpenAPI 3.0 {@code nullable} does not reach into the referenced schema, so a null value fails it.</li>
 * <li>A nullable schema with an {@code enum} lists {@code null} among its values (OpenAPI 3.0.3: an enum that does not
 * list null refuses it, nullable or not).</li>
 * <li>An operation without a security requirement (the JWKS) says so with {@code security: []}, since the document has
 * no global requirement to inherit.</li>
 * </ul>
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class PortableOpenApi implements OASFilter {

    private static final String COMPONENT_REF = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        Map<String, Schema> scalars = new LinkedHashMap<>();
        if (components != null && components.getSchemas() != null) {
            components.getSchemas().forEach((name, schema) -> {
                if (isScalar(schema)) {
                    scalars.put(COMPONENT_REF + name, schema);
                }
            });
        }
        Consumer<Schema> fix = schema -> fix(schema, scalars);
        if (components != null && components.getSchemas() != null) {
            components.getSchemas().values().forEach(fix);
            scalars.keySet().forEach(ref -> components.removeSchema(ref.substring(COMPONENT_REF.length())));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> {
            if (item.getParameters() != null) {
                item.getParameters().forEach(parameter -> fix.accept(parameter.getSchema()));
            }
            if (item.getOperations() != null) {
                item.getOperations().values().forEach(operation -> fix(operation, fix));
            }
        });
    }

    private static void fix(Operation operation, Consumer<Schema> fix) {
        if (operation.getSecurity() == null) {
            operation.setSecurity(new ArrayList<>());
        }
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(parameter -> fix.accept(parameter.getSchema()));
        }
        if (operation.getRequestBody() != null) {
            fix(operation.getRequestBody().getContent(), fix);
        }
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            operation.getResponses().getAPIResponses().values().forEach(response -> {
                fix(response.getContent(), fix);
                if (response.getHeaders() != null) {
                    response.getHeaders().values().forEach(header -> fix.accept(header.getSchema()));
                }
            });
        }
    }

    private static void fix(Content content, Consumer<Schema> fix) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(mediaType -> fix.accept(mediaType.getSchema()));
        }
    }

    private static boolean isScalar(Schema schema) {
        List<Schema.SchemaType> types = schema.getType();
        return schema.getRef() == null && schema.getProperties() == null && schema.getAllOf() == null
                && schema.getAnyOf() == null && schema.getOneOf() == null && types != null && !types.isEmpty()
                && types.stream().noneMatch(type -> type == Schema.SchemaType.OBJECT || type == Schema.SchemaType.ARRAY);
    }

    private static void fix(Schema schema, Map<String, Schema> scalars) {
        if (schema == null) {
            return;
        }
        Schema scalar = scalars.get(schema.getRef());
        if (scalar == null && schema.getAllOf() != null && schema.getAllOf().size() == 1) {
            scalar = scalars.get(schema.getAllOf().get(0).getRef());
            if (scalar != null) {
                schema.setAllOf(null);
            }
        }
        if (scalar == null) {
            // a nullable reference as the scanner writes it for 3.1: anyOf [{$ref}, {type: null}]
            for (boolean any : new boolean[] {true, false}) {
                List<Schema> alternatives = any ? schema.getAnyOf() : schema.getOneOf();
                Schema referenced = nullOr(alternatives, scalars);
                if (referenced != null) {
                    scalar = referenced;
                    if (any) {
                        schema.setAnyOf(null);
                    } else {
                        schema.setOneOf(null);
                    }
                    schema.addType(Schema.SchemaType.NULL);
                }
            }
        }
        if (scalar != null) {
            inline(schema, scalar);
        }
        List<Schema.SchemaType> types = schema.getType();
        if (types != null && types.contains(Schema.SchemaType.NULL) && schema.getEnumeration() != null
                && !schema.getEnumeration().contains(null)) {
            List<Object> values = new ArrayList<>(schema.getEnumeration());
            values.add(null);
            schema.setEnumeration(values);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> fix(property, scalars));
        }
        fix(schema.getItems(), scalars);
        fix(schema.getAdditionalPropertiesSchema(), scalars);
        for (List<Schema> composed : new List[] {schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()}) {
            if (composed != null) {
                composed.forEach(part -> fix(part, scalars));
            }
        }
    }

    /** For alternatives that are exactly a reference to a scalar and a null type: that scalar; otherwise null. */
    private static Schema nullOr(List<Schema> alternatives, Map<String, Schema> scalars) {
        if (alternatives == null || alternatives.size() != 2) {
            return null;
        }
        Schema scalar = null;
        boolean nullType = false;
        for (Schema alternative : alternatives) {
            if (scalars.containsKey(alternative.getRef())) {
                scalar = scalars.get(alternative.getRef());
            } else if (alternative.getRef() == null && List.of(Schema.SchemaType.NULL).equals(alternative.getType())) {
                nullType = true;
            }
        }
        return nullType ? scalar : null;
    }

    /** The scalar's type, format and pattern written into {@code schema}, which keeps its own description and nullability. */
    private static void inline(Schema schema, Schema scalar) {
        schema.setRef(null);
        List<Schema.SchemaType> types = new ArrayList<>(scalar.getType());
        if (schema.getType() != null && schema.getType().contains(Schema.SchemaType.NULL) && !types.contains(Schema.SchemaType.NULL)) {
            types.add(Schema.SchemaType.NULL);
        }
        schema.setType(types);
        if (schema.getFormat() == null) {
            schema.setFormat(scalar.getFormat());
        }
        if (schema.getPattern() == null) {
            schema.setPattern(scalar.getPattern());
        }
        if (schema.getExample() == null && scalar.getExample() != null) {
            schema.setExample(scalar.getExample());
        }
    }
}
