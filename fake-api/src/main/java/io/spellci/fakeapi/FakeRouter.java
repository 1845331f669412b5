package io.spellci.fakeapi;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every endpoint of the fake in one table: its path, its methods, whether it needs {@code Authorization: Bearer},
 * and the handler that answers it. An unknown path gives 404, a known path with another method 405 with
 * {@code Allow}; path segments are percent-decoded before matching.
 */
final class FakeRouter {
    private static final String BEARER = "Bearer ";
    /** Stands for one path segment (a key's id) in {@link Route#path}. */
    private static final String ANY = "{id}";

    /** What a handler gets: the request, the path's {@code {id}} segment if any, and the caller (null without auth). */
    record Call(String method, String id, Headers headers, byte[] body, FakeState.Authenticated caller, String bearer) {
    }

    interface Handler {
        FakeResponse answer(Call call);
    }

    private record Route(List<String> path, String method, boolean authenticated, Handler handler) {
        boolean matches(List<String> segments) {
            if (segments.size() != path.size()) {
                return false;
            }
            for (int i = 0; i < path.size(); i++) {
                if (!path.get(i).equals(ANY) && !path.get(i).equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        String id(List<String> segments) {
            int at = path.indexOf(ANY);
            return at < 0 ? null : segments.get(at);
        }
    }

    private final FakeState state;
    private final List<Route> routes = new ArrayList<>();

    FakeRouter(FakeState state) {
        this.state = state;
        UserEndpoints users = new UserEndpoints(state);
        AccessTokenEndpoints tokens = new AccessTokenEndpoints(state);
        SessionEndpoints sessions = new SessionEndpoints(state);
        KeyEndpoints keys = new KeyEndpoints(state);
        add("v1/users/me", "GET", true, call -> users.me(call.caller()));
        add("v1/users/me/access_tokens", "GET", true, call -> tokens.list(call.caller().user().userName()));
        add("v1/users/me/access_tokens", "POST", true,
                call -> tokens.create(call.caller().user().userName(), call.headers(), call.body()));
        add("v1/users/me/access_tokens", "DELETE", true,
                call -> tokens.delete(call.caller().user().userName(), call.headers(), call.body()));
        add("v1/users", "POST", false, call -> users.signUp(call.headers(), call.body()));
        add("v1/users/login", "POST", false, call -> sessions.login(call.headers(), call.body()));
        add("v1/users/logout", "POST", true, call -> sessions.logout(call.bearer()));
        add("v1/keys", "GET", true, call -> keys.list(call.caller().user().userName()));
        add("v1/keys", "POST", true, call -> keys.create(call.caller().user().userName(), call.headers(), call.body()));
        add("v1/keys/" + ANY, "GET", true, call -> keys.one(call.caller().user().userName(), call.id()));
        add("v1/keys/" + ANY, "DELETE", true, call -> keys.delete(call.caller().user().userName(), call.id()));
    }

    private void add(String path, String method, boolean authenticated, Handler handler) {
        routes.add(new Route(List.of(path.split("/")), method, authenticated, handler));
    }

    FakeResponse route(String method, String rawPath, Headers headers, byte[] body) {
        List<String> segments = decodePath(rawPath);
        if (segments == null) {
            return FakeResponse.error(400, "the path is not valid percent-encoded UTF-8: encode each path segment");
        }
        Set<String> allowed = new TreeSet<>();
        Route found = null;
        for (Route route : routes) {
            if (route.matches(segments)) {
                allowed.add(route.method());
                if (route.method().equals(method)) {
                    found = route;
                }
            }
        }
        if (allowed.isEmpty()) {
            return FakeResponse.error(404, "no such endpoint: this API serves v1/users/me, v1/users/me/access_tokens,"
                    + " v1/users (sign-up), v1/users/login, v1/users/logout and v1/keys");
        }
        if (found == null) {
            String allow = String.join(", ", allowed);
            return FakeResponse.error(405, "method " + method + " is not allowed here: use " + allow)
                    .withHeaders(Map.of("Allow", allow));
        }
        FakeState.Authenticated caller = null;
        String bearer = null;
        if (found.authenticated()) {
            Object auth = authenticate(headers);
            if (auth instanceof FakeResponse problem) {
                return problem;
            }
            bearer = (String) auth;
            Optional<FakeState.Authenticated> user = state.authenticate(bearer);
            if (user.isEmpty()) {
                return FakeResponse.error(401, "the access token is invalid, revoked or deleted");
            }
            caller = user.get();
        }
        return found.handler().answer(new Call(method, found.id(segments), headers, body, caller, bearer));
    }

    /** The bearer token of exactly one well-formed {@code Authorization} header, or a 401. */
    private static Object authenticate(Headers headers) {
        List<String> authorization = headers.get("Authorization");
        if (authorization == null || authorization.isEmpty()) {
            return FakeResponse.error(401, "missing Authorization header: send 'Authorization: Bearer <access token>'");
        }
        if (authorization.size() > 1) {
            return FakeResponse.error(401, "more than one Authorization header: send exactly one");
        }
        String header = authorization.get(0);
        if (!header.startsWith(BEARER) || header.length() == BEARER.length()
                || FakeState.valueProblem(header.substring(BEARER.length())) != null) {
            return FakeResponse.error(401, "malformed Authorization header: send 'Authorization: Bearer <access token>'");
        }
        return header.substring(BEARER.length());
    }

    /**
     * The percent-decoded segments of a raw path ({@code /v1/users/me} &rarr; {@code [v1, users, me]}),
     * or null when an escape is malformed or the bytes are not UTF-8. {@code %2F} stays inside its segment.
     */
    static List<String> decodePath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return List.of("");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            String segment = decodeSegment(raw);
            if (segment == null) {
                return null;
            }
            segments.add(segment);
        }
        return segments;
    }

    private static String decodeSegment(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
