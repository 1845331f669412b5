package io.spellci.fakeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST v1/users/login} and {@code POST v1/users/logout}: interactive login sessions, whose tokens
 * authenticate like access tokens but are never listed among them (CI uses access tokens, never these).
 */
final class SessionEndpoints {
    private static final String LOGIN_SHAPE = "{\"user\": {\"user_name\", \"password\", \"email\", \"access_token\"}}"
            + " (unused fields \"\")";

    private final FakeState state;

    SessionEndpoints(FakeState state) {
        this.state = state;
    }

    /**
     * Spell's client sends all four fields, the unused ones empty: e-mail address and password, user name and
     * password, or e-mail address and access token. 200 and {@code {"token", "user"}}; wrong ones give 401.
     */
    FakeResponse login(Headers headers, byte[] body) {
        JsonBody json = JsonBody.read(headers, body, LOGIN_SHAPE);
        if (json.problem() != null) {
            return json.problem();
        }
        JsonNode user = json.node().get("user");
        if (user == null || !user.isObject()) {
            return FakeResponse.error(400, "user is missing or not an object: send " + LOGIN_SHAPE);
        }
        String userName = field(user, "user_name");
        String email = field(user, "email");
        String password = field(user, "password");
        String accessToken = field(user, "access_token");
        if (userName == null || email == null || password == null || accessToken == null) {
            return FakeResponse.error(400, "user_name, email, password and access_token must be strings: send "
                    + LOGIN_SHAPE);
        }
        if (userName.isEmpty() && email.isEmpty()) {
            return FakeResponse.error(400, "give user_name or email: send " + LOGIN_SHAPE);
        }
        if (password.isEmpty() && accessToken.isEmpty()) {
            return FakeResponse.error(400, "give password or access_token: send " + LOGIN_SHAPE);
        }
        FakeState.Login login = state.login(userName, email, password, accessToken);
        if (login.session() == null) {
            return FakeResponse.error(401, login.failure());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("token", login.session());
        result.put("user", UserEndpoints.userJson(login.user()));
        return FakeResponse.json(200, result);
    }

    /** Ends the caller's session; with an access token it ends nothing (access tokens are deleted by name only). */
    FakeResponse logout(String bearer) {
        state.logout(bearer);
        return FakeResponse.empty(204);
    }

    /** A string field; absent counts as {@code ""} (unused), any other type as null. */
    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isTextual() ? value.textValue() : null;
    }
}
