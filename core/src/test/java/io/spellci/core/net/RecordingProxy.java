package io.spellci.core.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP CONNECT proxy on 127.0.0.1 for tests, recording what passes through it: each request's line and
 * headers, and every byte it relays after a tunnel opens. Targets are mapped explicitly ({@link #route}) to loopback
 * ports, so a test can use a made-up API host that nobody resolves; an unmapped target gets 502 and no connection.
 * With {@link #requireCredentials} it answers 407 until a request brings the expected Basic credentials.
 */
public final class RecordingProxy implements AutoCloseable {
    /** A request the proxy received: its request line and headers (names lower-cased). */
    public record Exchange(String requestLine, Map<String, String> headers, int status) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final Map<String, Integer> routes = new ConcurrentHashMap<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream relayed = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String expectedAuthorization;

    public RecordingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "recording-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Tunnels to {@code host:port} go to 127.0.0.1:{@code localPort}. */
    public RecordingProxy route(String hostAndPort, int localPort) {
        routes.put(hostAndPort.toLowerCase(Locale.ROOT), localPort);
        return this;
    }

    /** Demands {@code Proxy-Authorization: Basic base64(user:password)}, answering 407 otherwise. */
    public RecordingProxy requireCredentials(String user, String password) {
        expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The tunnelled (status 200) CONNECT requests' lines. */
    public List<String> tunnels() {
        List<String> lines = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            if (exchange.status() == 200) {
                lines.add(exchange.requestLine());
            }
        }
        return lines;
    }

    /** Every byte relayed in either direction after tunnels opened, as ISO-8859-1 text. */
    public String relayed() {
        synchronized (relayed) {
            return relayed.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread handler = new Thread(() -> handle(client), "recording-proxy-client");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            client.setSoTimeout(20_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> lines = readHead(in);
                if (lines == null || lines.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line : lines.subList(1, lines.size())) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                                line.substring(colon + 1).strip());
                    }
                }
                String requestLine = lines.get(0);
                String[] parts = requestLine.split(" ");
                String expected = expectedAuthorization;
                if (expected != null && !expected.equals(headers.get("proxy-authorization"))) {
                    exchanges.add(new Exchange(requestLine, headers, 407));
                    write(out, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n");
                    continue;
                }
                Integer localPort = parts.length == 3 && parts[0].equals("CONNECT")
                        ? routes.get(parts[1].toLowerCase(Locale.ROOT)) : null;
                if (localPort == null) {
                    exchanges.add(new Exchange(requestLine, headers, 502));
                    write(out, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                try (Socket target = new Socket()) {
                    target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort), 5_000);
                    exchanges.add(new Exchange(requestLine, headers, 200));
                    write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
                    Thread up = pipe(in, target.getOutputStream());
                    pipe(target.getInputStream(), out).join();
                    up.join(1_000);
                }
                return;
            }
        } catch (IOException | InterruptedException e) {
            // The client or the target went away: the tunnel is over.
        }
    }

    private Thread pipe(InputStream from, OutputStream to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = from.read(buffer)) > 0; ) {
                    synchronized (relayed) {
                        relayed.write(buffer, 0, n);
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // closed
            } finally {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "recording-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The request line and header lines up to the blank line; null at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int c; (c = in.read()) != -1; previous = c) {
            if (c == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(c);
            }
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
