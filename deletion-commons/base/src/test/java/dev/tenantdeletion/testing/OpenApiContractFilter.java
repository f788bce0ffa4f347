package dev.tenantdeletion.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Every request a REST Assured test sends to the application under test, and its answer, checked against the document
 * the application serves at /q/openapi, by a real validator (Atlassian's swagger-request-validator, OpenAPI 3.0):
 * <ul>
 * <li>an answer to a request the document describes must be described: its status declared for the operation, its body
 * valid against the declared schema — with no field the schema does not name (object schemas are closed here, so a field
 * added to an answer without its description fails) — and each of the headers Location, Retry-After and
 * WWW-Authenticate that it carries declared for that status;</li>
 * <li>a request the document says is invalid (a bad parameter, a missing token, a body of the wrong shape) must be
 * refused with a 4xx, described as above when the operation declares that status; only the framework's 405 and 406
 * (method and media-type negotiation, not an operation's answer) may go undeclared;</li>
 * <li>a request to a path or method the document does not have must be answered 404 or 405 with a JSON error body.</li>
 * </ul>
 * The framework's own endpoints (/q/...) are not part of the API and are not checked. Installed for every
 * {@code @QuarkusTest} by {@link OpenApiContractCallback}; a failure is an AssertionError of the request's test.
 */
public final class OpenApiContractFilter implements Filter {

    /** Headers the API sends that a client acts on: each must be declared where it is sent. */
    static final List<String> DECLARED_HEADERS = List.of("Location", "Retry-After", "WWW-Authenticate");

    private static final Map<String, Document> DOCUMENTS = new ConcurrentHashMap<>();
    // HTTP/1.1: the JDK client's default (HTTP/2 by upgrade on plain http) is not what any caller of these apps uses
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Installs the filter for every REST Assured request of this class loader, once. */
    public static void install() {
        if (RestAssured.filters().stream().noneMatch(filter -> filter instanceof OpenApiContractFilter)) {
            RestAssured.filters(new OpenApiContractFilter());
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification requestSpec, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(requestSpec, responseSpec);
        // only the application under test (not a fake service a test starts on another port)
        if (requestSpec.getPort() != RestAssured.port) {
            return response;
        }
        Request request = asValidated(requestSpec);
        // only the API, not the framework's /q/health, /q/metrics, /q/openapi
        if (!request.getPath().startsWith("/q/")) {
            check(document("http://localhost:" + requestSpec.getPort()), request, response);
        }
        return response;
    }

    private static void check(Document document, Request request, Response response) {
        String call = request.getMethod() + " " + request.getPath() + " → " + response.statusCode();
        int status = response.statusCode();
        ValidationReport requestReport = document.validator().validateRequest(request);
        Set<String> requestKeys = requestReport.getMessages().stream().map(ValidationReport.Message::getKey).collect(Collectors.toSet());
        if (requestKeys.contains("validation.request.path.missing") || requestKeys.contains("validation.request.operation.notAllowed")) {
            requireRefused(call, response);
            return;
        }
        Operation operation = document.operation(request);
        ApiResponse declared = operation == null || operation.getResponses() == null ? null
                : operation.getResponses().get(String.valueOf(status));
        if (requestReport.hasErrors()) {
            if (status < 400 || status >= 500) {
                throw new AssertionError(call + ": the document says the request is invalid, yet it was answered " + status
                        + "\n" + requestReport.getMessages());
            }
            if (declared == null && (status == 405 || status == 406)) {
                requireJsonError(call, response);
                return;
            }
        }
        ValidationReport responseReport = document.validator().validateResponse(request.getPath(), request.getMethod(),
                asValidated(response));
        if (responseReport.hasErrors()) {
            throw new AssertionError(call + ": the answer is not what the served document describes:\n"
                    + responseReport.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                            .map(m -> "  " + m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("\n"))
                    + "\nbody: " + abbreviate(response.asString()));
        }
        for (String header : DECLARED_HEADERS) {
            if (response.getHeader(header) != null && (declared == null || declared.getHeaders() == null
                    || declared.getHeaders().keySet().stream().noneMatch(header::equalsIgnoreCase))) {
                throw new AssertionError(call + ": the answer carries " + header + ", which the document does not declare for "
                        + status);
            }
        }
    }

    /**
     * The request as sent, for the validator: the path exactly as on the wire (tests send raw, unencoded segments on
     * purpose), the query, the headers and the body text. (The validator's own REST Assured adapter parses the URI,
     * which such paths break, and reads the body of a request only in some of the forms REST Assured keeps it.)
     */
    static Request asValidated(FilterableRequestSpecification spec) {
        String uri = spec.getURI();
        int start = uri.indexOf('/', uri.indexOf("://") + 3);
        String pathAndQuery = start < 0 ? "/" : uri.substring(start);
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        SimpleRequest.Builder request = new SimpleRequest.Builder(spec.getMethod(), path);
        if (question >= 0) {
            Map<String, List<String>> query = new java.util.LinkedHashMap<>();
            for (String pair : pathAndQuery.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                query.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
            query.forEach(request::withQueryParam);
        }
        spec.getHeaders().asList().forEach(header -> request.withHeader(header.getName(), header.getValue()));
        if (spec.getContentType() != null) {
            request.withContentType(spec.getContentType());
        }
        Object body = spec.getBody();
        if (body instanceof byte[] bytes) {
            request.withBody(bytes);
        } else if (body != null) {
            request.withBody(body.toString());
        }
        return request.build();
    }

    private static String decode(String raw) {
        try {
            return java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The answer as the validator reads it (its own REST Assured adapter reads the body as empty once REST Assured has it). */
    private static SimpleResponse asValidated(Response response) {
        SimpleResponse.Builder answer = new SimpleResponse.Builder(response.statusCode());
        String body = response.asString();
        if (!body.isEmpty()) {
            answer.withBody(body);
        }
        response.getHeaders().asList().forEach(header -> answer.withHeader(header.getName(), header.getValue()));
        return answer.build();
    }

    /** The answer to a request for no operation of the document: 400, 404 or 405 with a JSON error body. */
    private static void requireRefused(String call, Response response) {
        int status = response.statusCode();
        if (status != 404 && status != 405 && status != 400) {
            throw new AssertionError(call + ": the document has no such operation, yet it was answered " + status);
        }
        requireJsonError(call, response);
    }

    private static void requireJsonError(String call, Response response) {
        String type = response.contentType();
        if (type == null || !type.startsWith("application/json") || response.jsonPath().getString("error") == null
                || response.jsonPath().getString("message") == null) {
            throw new AssertionError(call + ": not a JSON error body {\"error\",\"message\"}: " + type + " " + abbreviate(response.asString()));
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    private static Document document(String base) {
        return DOCUMENTS.computeIfAbsent(base, OpenApiContractFilter::load);
    }

    /**
     * The served document, as the application under test answers it now. Read up to three times: a CI run once lost
     * this read to an I/O error while the application answered the test's own requests on the same port.
     */
    public static String served(String base) {
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new AssertionError(base + "/q/openapi answered " + answer.statusCode());
                }
                return answer.body();
            } catch (IOException e) {
                last = e;
                pause(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("could not read " + base + "/q/openapi: " + last, last);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Document load(String base) {
        String json = served(base);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json, null, options);
        if (parsed.getOpenAPI() == null || (parsed.getMessages() != null && !parsed.getMessages().isEmpty())) {
            throw new AssertionError("the served document does not parse as OpenAPI 3.0: " + parsed.getMessages());
        }
        OpenAPI api = parsed.getOpenAPI();
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().values().forEach(OpenApiContractFilter::close);
        }
        return new Document(api, OpenApiInteractionValidator.createFor(api).build());
    }

    /** An object schema that names its properties and says nothing of others refuses others (here, in the tests). */
    @SuppressWarnings("rawtypes")
    private static void close(Schema schema) {
        if (schema == null) {
            return;
        }
        if (schema.getProperties() != null && schema.getAdditionalProperties() == null) {
            schema.setAdditionalProperties(Boolean.FALSE);
        }
        if (schema.getProperties() != null) {
            ((Map<?, ?>) schema.getProperties()).values().forEach(property -> close((Schema) property));
        }
        close(schema.getItems());
        if (schema.getAdditionalProperties() instanceof Schema values) {
            close(values);
        }
    }

    /** A parsed document and its validator. */
    private record Document(OpenAPI api, OpenApiInteractionValidator validator) {

        /** The operation whose path template matches the request's path, or null. */
        Operation operation(Request request) {
            for (Map.Entry<String, PathItem> entry : api.getPaths().entrySet()) {
                String pattern = entry.getKey().replaceAll("\\{[^/}]+}", "[^/]+").replace(".", "\\.");
                if (request.getPath().matches(pattern)) {
                    PathItem.HttpMethod method = PathItem.HttpMethod.valueOf(request.getMethod().name());
                    Operation operation = entry.getValue().readOperationsMap().get(method);
                    if (operation != null) {
                        return operation;
                    }
                }
            }
            return null;
        }
    }
}
