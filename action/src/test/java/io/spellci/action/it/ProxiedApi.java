package io.spellci.action.it;

import io.spellci.core.net.PrivateCa;
import io.spellci.core.net.RecordingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A TLS Spell API (users/me only) with a certificate from a private CA for {@link #HOST}, behind a recording CONNECT
 * proxy that maps api.spell.test:443 to it. The jar never resolves api.spell.test: it only ever asks the proxy.
 */
final class ProxiedApi implements AutoCloseable {
    static final String HOST = "api.spell.test";
    static final String URL = "https://" + HOST;

    final PrivateCa ca = new PrivateCa(HOST);
    final MockWebServer api;
    final RecordingProxy proxy;
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    ProxiedApi(String token) {
        try {
            api = ca.serve(new MockWebServer());
            api.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    requests.add(request);
                    boolean ok = ("Bearer " + token).equals(request.getHeaders().get("Authorization"))
                            && "/v1/users/me".equals(request.getTarget());
                    return new MockResponse.Builder().code(ok ? 200 : 401).addHeader("Content-Type", "application/json")
                            .body(ok ? "{\"user\": {\"user_name\": \"alice\", \"email\": \"alice@example.com\","
                                    + " \"memberships\": [{\"organization\": {\"name\": \"acme\"}}]}}"
                                    : "{\"error\": \"unauthorized\"}").build();
                }
            });
            proxy = new RecordingProxy().route(HOST + ":443", api.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path writeBundle(Path file) {
        return ca.writeCaPem(file);
    }

    @Override
    public void close() throws IOException {
        proxy.close();
        api.close();
    }
}
