package io.spellci.core.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object as the Spell API sends it, read with jackson-core's streaming parser. Spell's answers are a
 * handful of small objects; jackson-databind's mapper would cost a CI step a few hundred milliseconds of
 * class loading at start-up for nothing more (see docs/performance.md).
 */
final class JsonObject {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonObject EMPTY = new JsonObject(Collections.emptyMap());

    private final Map<String, Object> fields;

    private JsonObject(Map<String, Object> fields) {
        this.fields = fields;
    }

    static JsonObject empty() {
        return EMPTY;
    }

    /**
     * Parses {@code text} as one JSON object.
     *
     * @throws IOException when it is not JSON, or JSON but not an object ({@link NotAnObjectException})
     */
    static JsonObject parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first == null) {
                    throw new IOException("empty document");
                }
                readValue(parser, first); // a well-formed non-object still counts as JSON
                throw new NotAnObjectException();
            }
            JsonObject object = new JsonObject(readObject(parser));
            if (parser.nextToken() != null) {
                throw new IOException("content after the JSON object");
            }
            return object;
        }
    }

    /** {@code {"<key>": "<value>"}}, escaped by Jackson's generator. */
    static String of(String key, String value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField(key, value);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The value of a string, number or boolean field as text; null when missing, null, an object or a list. */
    String text(String key) {
        Object value = fields.get(key);
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? value.toString() : null;
    }

    boolean bool(String key) {
        return Boolean.TRUE.equals(fields.get(key));
    }

    boolean has(String key) {
        return fields.containsKey(key);
    }

    /** The field as an object, or null when it is missing or something else. */
    JsonObject object(String key) {
        Object value = fields.get(key);
        return value instanceof JsonObject object ? object : null;
    }

    /** The field as a list, or null when it is missing or something else. */
    List<Object> list(String key) {
        Object value = fields.get(key);
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(list);
        }
        return null;
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            fields.put(name, readValue(parser, parser.nextToken()));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
        return fields;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("unexpected end of input");
        }
        switch (token) {
            case START_OBJECT:
                return new JsonObject(readObject(parser));
            case START_ARRAY:
                List<Object> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, next));
                }
                return items;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token);
        }
    }

    /** Well-formed JSON that is not an object. */
    static final class NotAnObjectException extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
