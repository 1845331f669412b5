package io.spellci.fakeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer of the fake before it goes on the wire, and the shapes every endpoint answers with. */
record FakeResponse(int status, byte[] body, String contentType, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static FakeResponse empty(int status) {
        return new FakeResponse(status, null, null, Map.of());
    }

    FakeResponse withHeaders(Map<String, String> extra) {
        return new FakeResponse(status, body, contentType, extra);
    }

    /** Spell's error shape, {@code {"status": "<reason>", "error": "<message>", "code": <status>}}. */
    static FakeResponse error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reason(status));
        body.put("error", message);
        body.put("code", status);
        return json(status, body);
    }

    static FakeResponse json(int status, Object value) {
        try {
            return new FakeResponse(status, JSON.writeValueAsBytes(value), "application/json", Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** ISO-8601 in UTC with {@code Z}, e.g. {@code 2021-07-29T15:40:00Z}. */
    static String timestamp(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "OK";
        };
    }
}
