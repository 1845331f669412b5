package io.spellci.fakeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code v1/users/me/access_tokens}: GET lists, POST creates, DELETE deletes, all by name. Sessions are never listed. */
final class AccessTokenEndpoints {
    private static final String SHAPE = "{\"name\": \"<token name>\"}";

    private final FakeState state;

    AccessTokenEndpoints(FakeState state) {
        this.state = state;
    }

    FakeResponse list(String userName) {
        List<Map<String, Object>> items = new ArrayList<>();
        List<FakeToken> tokens = new ArrayList<>(state.tokens(userName));
        // Oldest first, as documented; names break ties so that the order never depends on insertion.
        tokens.sort(Comparator.comparing(FakeToken::createdAt).thenComparing(FakeToken::name));
        for (FakeToken token : tokens) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", token.name());
            item.put("created_at", FakeResponse.timestamp(token.createdAt()));
            item.put("last_used_at", FakeResponse.timestamp(token.lastUsedAt()));
            items.add(item);
        }
        return FakeResponse.json(200, Map.of("access_tokens", items));
    }

    FakeResponse create(String userName, Headers headers, byte[] body) {
        Object name = tokenName(headers, body);
        if (name instanceof FakeResponse problem) {
            return problem;
        }
        FakeState.Created created = state.create(userName, (String) name);
        if (created == null) {
            return FakeResponse.error(409, "an access token named '" + name + "' already exists: choose another name");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", created.name());
        result.put("token", created.value());
        result.put("created_at", FakeResponse.timestamp(created.createdAt()));
        result.put("last_used_at", null);
        return FakeResponse.json(201, result);
    }

    FakeResponse delete(String userName, Headers headers, byte[] body) {
        Object name = tokenName(headers, body);
        if (name instanceof FakeResponse problem) {
            return problem;
        }
        if (!state.delete(userName, (String) name)) {
            return FakeResponse.error(404, "no access token named '" + name
                    + "': list them with GET v1/users/me/access_tokens");
        }
        return FakeResponse.empty(204);
    }

    /** The {@code name} of a {@code {"name": ...}} body, or an error response. */
    private static Object tokenName(Headers headers, byte[] body) {
        JsonBody json = JsonBody.read(headers, body, SHAPE);
        if (json.problem() != null) {
            return json.problem();
        }
        JsonNode name = json.node().get("name");
        if (name == null || name.isNull()) {
            return FakeResponse.error(400, "name is missing: send " + SHAPE);
        }
        if (!name.isTextual()) {
            return FakeResponse.error(400, "name is not a string: send " + SHAPE);
        }
        String problem = FakeState.nameProblem(name.textValue());
        if (problem != null) {
            return FakeResponse.error(400, "name " + problem);
        }
        return name.textValue();
    }
}
