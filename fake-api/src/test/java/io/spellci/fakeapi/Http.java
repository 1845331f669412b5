package io.spellci.fakeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JDK HttpClient wrapper that speaks to a fake exactly as written, byte for byte. */
final class Http {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private Http() {
    }

    static Reply get(FakeSpellApi fake, String path, String token) {
        return send(fake, "GET", path, token, null);
    }

    static Reply post(FakeSpellApi fake, String path, String token, String json) {
        return send(fake, "POST", path, token, json);
    }

    static Reply delete(FakeSpellApi fake, String path, String token, String json) {
        return send(fake, "DELETE", path, token, json);
    }

    static Reply send(FakeSpellApi fake, String method, String path, String token, String json) {
        HttpRequest.Builder request = request(fake, path, token, Duration.ofSeconds(10));
        if (json != null) {
            request.header("Content-Type", "application/json; charset=utf-8");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            return exchange(request.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpRequest.Builder request(FakeSpellApi fake, String path, String token, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.url() + path)).timeout(timeout)
                .header("User-Agent", "fake-api-test");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    static Reply exchange(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
