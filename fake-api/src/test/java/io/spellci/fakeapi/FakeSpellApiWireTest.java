package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the connection-level faults put on the wire, read byte for byte off a raw socket. */
class FakeSpellApiWireTest {

    static final String TOKEN = "alice-secret-token-0001";
    FakeSpellApi fake;

    FakeSpellApi start(FakeSpellApi.Builder builder) {
        fake = builder.user(FakeUser.of("alice", "alice@example.com", "acme")).token("alice", "ci", TOKEN).start();
        return fake;
    }

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    static String get(String path) {
        return get(path, TOKEN);
    }

    static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    }

    static String post(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST /v1/users/me/access_tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    /** Writes the requests on one connection and reads until the server closes it (or 1 s of silence). */
    static Wire exchange(FakeSpellApi fake, String... requests) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.setSoTimeout(1000);
            for (String request : requests) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            }
            socket.getOutputStream().flush();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            boolean closedByServer;
            try {
                in.transferTo(read);
                closedByServer = true;
            } catch (SocketTimeoutException e) {
                closedByServer = false;
            }
            return new Wire(read.toString(StandardCharsets.UTF_8), closedByServer);
        }
    }

    record Wire(String text, boolean closedByServer) {
        List<String> statusLines() {
            // Bodies have no line end, so the next status line may follow a body directly.
            return Pattern.compile("HTTP/1\\.[01] \\d{3} [A-Za-z ]+").matcher(text).results()
                    .map(MatchResult::group).toList();
        }
    }

    @Test
    void keepAliveIsTheDefaultAndAnswersSeveralRequestsOnOneConnection() throws IOException {
        start(FakeSpellApi.builder());

        Wire wire = exchange(fake, get("/v1/users/me"), get("/v1/users/me"));

        assertThat(wire.statusLines()).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
        assertThat(wire.text()).doesNotContain("Connection:");
        assertThat(wire.closedByServer()).isFalse();
    }

    @Test
    void http10ModeAnswersAsHttp10WithoutAConnectionHeaderAndCloses() throws IOException {
        start(FakeSpellApi.builder().connectionMode(FakeSpellApi.ConnectionMode.HTTP_1_0));

        Wire wire = exchange(fake, get("/v1/users/me"), get("/v1/users/me"));

        // The second request on the same connection is never answered: the server closed after the first.
        assertThat(wire.statusLines()).containsExactly("HTTP/1.0 200 OK");
        assertThat(wire.text()).contains("Content-Length: ").doesNotContain("Connection:");
        assertThat(wire.closedByServer()).isTrue();
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void closeModeAnswersAsHttp11ThenClosesWithoutSayingSo() throws IOException {
        start(FakeSpellApi.builder());
        fake.connectionMode(FakeSpellApi.ConnectionMode.CLOSE);

        Wire wire = exchange(fake, get("/v1/users/me"), get("/v1/users/me"));

        assertThat(wire.statusLines()).containsExactly("HTTP/1.1 200 OK");
        assertThat(wire.text()).doesNotContain("Connection:");
        assertThat(wire.closedByServer()).isTrue();
    }

    @Test
    void aClientAskingToCloseGetsConnectionCloseAndTheConnectionEnds() throws IOException {
        start(FakeSpellApi.builder());

        Wire wire = exchange(fake, "GET /v1/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\n\r\n");

        assertThat(wire.text()).contains("Connection: close");
        assertThat(wire.closedByServer()).isTrue();
    }

    @Test
    void aShortIdleTimeoutClosesAKeptAliveConnectionSilently() throws Exception {
        start(FakeSpellApi.builder().idleTimeout(Duration.ofMillis(200)));

        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(get("/v1/users/me").getBytes(StandardCharsets.UTF_8));
            long started = System.nanoTime();
            // One answer, then the server closes once the connection sat idle for 200 ms (the read would time out).
            String read = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(read).startsWith("HTTP/1.1 200 OK");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void dropAfterNextCarriesOutTheCreateThenClosesWithoutAnAnswer() throws IOException {
        start(FakeSpellApi.builder());
        fake.dropAfterNext(1, "POST");

        // The GET before it is not touched: the fault waits for a POST.
        Wire wire = exchange(fake, get("/v1/users/me"), post("{\"name\": \"lost\"}"));

        assertThat(wire.statusLines()).containsExactly("HTTP/1.1 200 OK");
        assertThat(wire.closedByServer()).isTrue();
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "lost");
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(200, RecordedRequest.DROPPED);
    }

    @Test
    void truncateNextSendsTheFullLengthButHalfTheBodyThenCloses() throws IOException {
        start(FakeSpellApi.builder());
        fake.truncateNext(1, null);

        Wire wire = exchange(fake, get("/v1/users/me"));

        String head = wire.text().substring(0, wire.text().indexOf("\r\n\r\n"));
        String body = wire.text().substring(wire.text().indexOf("\r\n\r\n") + 4);
        int declared = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isEqualTo(declared / 2);
        assertThat(wire.closedByServer()).isTrue();
    }

    @Test
    void aMalformedPercentEscapeGetsTheJsonErrorBody() throws IOException {
        start(FakeSpellApi.builder());

        Wire wire = exchange(fake, get("/v1/users/%zz"));

        assertThat(wire.statusLines()).containsExactly("HTTP/1.1 400 Bad Request");
        assertThat(wire.text()).contains("Content-Type: application/json").contains("\"code\":400");
    }

    @Test
    void aChunkedRequestBodyIsRead() throws IOException {
        start(FakeSpellApi.builder());
        String json = "{\"name\": \"chunked\"}";

        Wire wire = exchange(fake, "POST /v1/users/me/access_tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TOKEN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n");

        assertThat(wire.statusLines()).containsExactly("HTTP/1.1 201 Created");
        assertThat(fake.tokenNames("alice")).contains("chunked");
    }

    @Test
    void randomFaultsWithTheSameSeedGiveTheSameSequence() throws IOException {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            start(FakeSpellApi.builder().randomFaults(42, 0.5));
            for (int i = 0; i < 30; i++) {
                exchange(fake, "GET /v1/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                        + TOKEN + "\r\n\r\n");
            }
            runs.add(fake.requests().stream().map(RecordedRequest::status).toList());
            fake.close();
            fake = null;
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1));
        // A rate of one half over 30 calls: some faults and some plain answers (fixed by the seed).
        assertThat(runs.get(0)).contains(200).containsAnyOf(429, 500, 502, 503, 504, RecordedRequest.DROPPED);
    }

    @Test
    void faultsComeFromTheJsonConfigToo() throws IOException {
        start(FakeSpellApi.builder().configJson("{\"users\": [], \"faults\": {\"connection\": \"http/1.0\","
                + " \"idle_timeout_ms\": 500, \"queue\": [{\"fault\": \"fail\", \"status\": 503, \"calls\": 1},"
                + " {\"fault\": \"drop-after\", \"method\": \"POST\"}]}}"));

        assertThat(exchange(fake, get("/v1/users/me")).statusLines()).containsExactly("HTTP/1.0 503 Service Unavailable");
        assertThat(exchange(fake, get("/v1/users/me")).statusLines()).containsExactly("HTTP/1.0 200 OK");
        assertThat(exchange(fake, post("{\"name\": \"from-config\"}")).statusLines()).isEmpty();
        assertThat(fake.tokenNames("alice")).contains("from-config");
    }

    @Test
    void theFaultsExampleOfTheDocLoads() throws IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/fake-api.md"));
        String section = doc.substring(doc.indexOf("### Faults from the JSON file"));
        java.util.regex.Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).isTrue();
        fake = FakeSpellApi.builder().configJson(block.group(1)).start();
        // The first queued fault: 503 with Retry-After, answered as HTTP/1.0.
        Wire wire = exchange(fake, get("/v1/users/me", "fake-alice-ci-token-0001"));
        assertThat(wire.statusLines()).containsExactly("HTTP/1.0 503 Service Unavailable");
        assertThat(wire.text()).contains("Retry-After: 1");
    }

    @Test
    void aBadFaultsSectionNamesTheField() {
        assertThatThrownBy(() -> FakeSpellApi.builder().configJson("{\"users\": [], \"faults\": {\"connection\": \"sometimes\"}}"))
                .hasMessageContaining("faults.connection").hasMessageContaining("http/1.0");
        assertThatThrownBy(() -> FakeSpellApi.builder().configJson("{\"users\": [], \"faults\": {\"queue\": [{\"fault\": \"fail\"}]}}"))
                .hasMessageContaining("faults.queue[0].status");
        assertThatThrownBy(() -> FakeSpellApi.builder().configJson("{\"users\": [], \"faults\": {\"random\": {\"seed\": 1, \"rate\": 2}}}"))
                .hasMessageContaining("faults.random.rate");
    }
}
