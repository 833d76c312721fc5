package dev.vmm.tests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.vmm.app.api.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The API's OpenAPI document (vmm's resources), as a contract: every answer's status must be one the
 * document lists for its path and method, and its body must match that response's schema (JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1), checked by networknt's validator.
 */
final class OpenApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    final JsonNode doc;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    OpenApiDocument() throws IOException {
        try (InputStream in = ApiClient.class.getResourceAsStream("/dev/vmm/app/api/openapi.json")) {
            assertThat(in).as("openapi.json in the vmm jar").isNotNull();
            doc = JSON.readTree(in);
        }
    }

    /** The document's path template that {@code path} matches ({id} matches one segment). */
    String template(String path) {
        for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (path.matches(t.replaceAll("\\{[^/]+}", "[^/]+"))) {
                return t;
            }
        }
        return null;
    }

    /** Checks {@code reply} against the document; returns it for further assertions. */
    ApiClient.Reply check(String method, String path, ApiClient.Reply reply) throws IOException {
        String t = template(path);
        assertThat(t).as("%s is in the document", path).isNotNull();
        JsonNode op = doc.get("paths").get(t).get(method.toLowerCase());
        if (op == null) {
            assertThat(reply.status()).as("%s %s: not in the document, so 405", method, path).isEqualTo(405);
            validate("Error", reply.body(), method + " " + path);
            return reply;
        }
        JsonNode response = op.get("responses").get(String.valueOf(reply.status()));
        assertThat(response).as("%s %s answered %d: %s; the document lists %s", method, path, reply.status(), reply.body(),
                op.get("responses").properties().stream().map(Map.Entry::getKey).toList()).isNotNull();
        JsonNode schema = response.path("content").path("application/json").path("schema").path("$ref");
        if (schema.isMissingNode()) {
            assertThat(reply.body()).as("%s %s %d has no body", method, path, reply.status()).isEmpty();
        } else {
            validate(schema.asText().substring("#/components/schemas/".length()), reply.body(), method + " " + path);
        }
        return reply;
    }

    void validate(String schemaName, String body, String what) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$ref", "#/components/schemas/" + schemaName);
        root.set("components", doc.get("components"));
        Schema schema = registry.getSchema(root.toString(), InputFormat.JSON);
        List<com.networknt.schema.Error> errors = schema.validate(body, InputFormat.JSON);
        assertThat(errors).as("%s: %s against %s", what, body, schemaName).isEmpty();
    }
}
