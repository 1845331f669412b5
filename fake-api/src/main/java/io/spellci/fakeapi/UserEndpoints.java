package io.spellci.fakeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET v1/users/me} and the sign-up {@code POST v1/users} (which Spell's own integration tests use). */
final class UserEndpoints {
    static final int MIN_USER_NAME = 4;
    static final int MIN_PASSWORD = 8;
    private static final String SIGN_UP_SHAPE = "{\"user\": {\"user_name\", \"password\", \"email\", \"full_name\","
            + " \"terms_accepted\": true}}";

    private final FakeState state;

    UserEndpoints(FakeState state) {
        this.state = state;
    }

    FakeResponse me(FakeState.Authenticated user) {
        return FakeResponse.json(200, Map.of("user", userJson(user)));
    }

    /** The User object of Spell's API, as {@code users/me}, sign-up and login answer it. */
    static Map<String, Object> userJson(FakeState.Authenticated authenticated) {
        FakeUser user = authenticated.user();
        String created = FakeResponse.timestamp(authenticated.createdAt());
        List<Map<String, Object>> memberships = new ArrayList<>();
        for (String organization : user.organizations()) {
            Map<String, Object> org = new LinkedHashMap<>();
            org.put("name", organization);
            org.put("created_at", created);
            org.put("updated_at", created);
            Map<String, Object> membership = new LinkedHashMap<>();
            membership.put("role", "member");
            membership.put("created_at", created);
            membership.put("updated_at", created);
            membership.put("organization", org);
            memberships.add(membership);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_name", user.userName());
        body.put("email", user.email());
        body.put("full_name", user.fullName());
        body.put("created_at", created);
        body.put("updated_at", created);
        body.put("last_logged_in", FakeResponse.timestamp(authenticated.lastLoggedIn()));
        body.put("is_admin", user.admin());
        body.put("memberships", memberships);
        return body;
    }

    /** Sign-up: a new user with a password, no organizations; 201 and {@code {"user": User}}. */
    FakeResponse signUp(Headers headers, byte[] body) {
        JsonBody json = JsonBody.read(headers, body, SIGN_UP_SHAPE);
        if (json.problem() != null) {
            return json.problem();
        }
        JsonNode user = json.node().get("user");
        if (user == null || !user.isObject()) {
            return FakeResponse.error(400, "user is missing or not an object: send " + SIGN_UP_SHAPE);
        }
        String userName = text(user, "user_name");
        String password = text(user, "password");
        String email = text(user, "email");
        String fullName = text(user, "full_name");
        if (userName == null || userName.length() < MIN_USER_NAME) {
            return FakeResponse.error(400, "user_name is missing or shorter than " + MIN_USER_NAME + " characters");
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            // Never echoed: it is a password.
            return FakeResponse.error(400, "password is missing or shorter than " + MIN_PASSWORD + " characters");
        }
        if (email == null || !email.matches(".+@.+[.].+")) {
            return FakeResponse.error(400, "email is missing or not an e-mail address");
        }
        JsonNode terms = user.get("terms_accepted");
        if (terms == null || !terms.isBoolean() || !terms.booleanValue()) {
            return FakeResponse.error(400, "terms_accepted is not true: accept the terms to sign up");
        }
        FakeUser created;
        try {
            created = new FakeUser(userName, email, false, List.of(), fullName == null || fullName.isEmpty()
                    ? null : fullName, state.now());
        } catch (IllegalArgumentException e) {
            return FakeResponse.error(400, e.getMessage());
        }
        String conflict = state.signUp(created, password);
        if (conflict != null) {
            return FakeResponse.error(409, conflict);
        }
        return FakeResponse.json(201, Map.of("user",
                userJson(new FakeState.Authenticated(created, created.createdAt(), null, false))));
    }

    /** A string field, or null when it is absent, null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }
}
