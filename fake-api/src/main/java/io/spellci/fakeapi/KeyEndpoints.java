package io.spellci.fakeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code v1/keys}: the SSH public keys of the account. {@code spell login} registers one and {@code spell logout}
 * deletes it again, so a fake without them has no working login. Keys are stored and listed, never used.
 */
final class KeyEndpoints {
    private static final String SHAPE = "{\"title\": \"<title>\", \"key\": \"ssh-rsa AAAA...\"}";

    private final FakeState state;

    KeyEndpoints(FakeState state) {
        this.state = state;
    }

    FakeResponse list(String userName) {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (FakeState.FakeKey key : state.keys(userName)) {
            keys.add(json(key));
        }
        return FakeResponse.json(200, Map.of("keys", keys));
    }

    FakeResponse one(String userName, String id) {
        for (FakeState.FakeKey key : state.keys(userName)) {
            if (Long.toString(key.id()).equals(id)) {
                return FakeResponse.json(200, Map.of("key", json(key)));
            }
        }
        return notFound(id);
    }

    FakeResponse create(String userName, Headers headers, byte[] body) {
        JsonBody json = JsonBody.read(headers, body, SHAPE);
        if (json.problem() != null) {
            return json.problem();
        }
        String title = UserEndpoints.text(json.node(), "title");
        String key = UserEndpoints.text(json.node(), "key");
        if (title == null || title.isBlank()) {
            return FakeResponse.error(400, "title is missing or empty: send " + SHAPE);
        }
        String fingerprint = key == null ? null : fingerprint(key);
        if (fingerprint == null) {
            return FakeResponse.error(400, "key is not an OpenSSH public key (type, base64, optional comment): send "
                    + SHAPE);
        }
        return FakeResponse.json(201, Map.of("key", json(state.addKey(userName, title, fingerprint))));
    }

    FakeResponse delete(String userName, String id) {
        try {
            if (state.deleteKey(userName, Long.parseLong(id))) {
                return FakeResponse.empty(204);
            }
        } catch (NumberFormatException e) {
            // not an id: not found either
        }
        return notFound(id);
    }

    private static FakeResponse notFound(String id) {
        return FakeResponse.error(404, "no SSH key with id " + id + ": list them with GET v1/keys");
    }

    private static Map<String, Object> json(FakeState.FakeKey key) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", key.id());
        item.put("title", key.title());
        item.put("fingerprint", key.fingerprint());
        item.put("verified", true);
        item.put("created_at", FakeResponse.timestamp(key.createdAt()));
        return item;
    }

    /** {@code SHA256:<base64 without padding>} of the key's blob, as {@code ssh-keygen -l} shows it; null if malformed. */
    static String fingerprint(String openSshKey) {
        String[] parts = openSshKey.strip().split("\\s+");
        if (parts.length < 2 || !parts[0].matches("(ssh|ecdsa-sha2|sk-ssh|sk-ecdsa-sha2)-[A-Za-z0-9@.-]+")) {
            return null;
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (blob.length < 4) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
