package io.spellci.fakeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.util.Locale;

/**
 * A request's JSON object body, or the 400 that says what is wrong with it. Error messages show the expected shape
 * and never quote what was sent (it may hold a password or a token).
 */
final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode node;
    private final FakeResponse problem;

    private JsonBody(JsonNode node, FakeResponse problem) {
        this.node = node;
        this.problem = problem;
    }

    /** Reads {@code body}, sent with {@code Content-Type: application/json}; {@code shape} is shown when it is wrong. */
    static JsonBody read(Headers headers, byte[] body, String shape) {
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return failed("the body must be JSON sent with 'Content-Type: application/json'");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return failed("the body is not valid JSON: send " + shape);
        }
        if (node == null || !node.isObject()) {
            return failed("the body is not a JSON object: send " + shape);
        }
        return new JsonBody(node, null);
    }

    private static JsonBody failed(String message) {
        return new JsonBody(null, FakeResponse.error(400, message));
    }

    /** The 400 to answer with, or null when the body is a JSON object. */
    FakeResponse problem() {
        return problem;
    }

    JsonNode node() {
        return node;
    }
}
