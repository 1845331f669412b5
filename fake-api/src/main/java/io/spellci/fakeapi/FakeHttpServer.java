package io.spellci.fakeapi;

import com.sun.net.httpserver.Headers;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake's own HTTP/1.1 server on plain sockets. Unlike the JDK's server it can do what real servers and proxies
 * do to clients: answer as HTTP/1.0 and close, close a kept-alive connection without saying so, close an idle
 * connection after a short keep-alive, drop a connection after carrying out a request, and cut a body short.
 */
final class FakeHttpServer implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    /** A request as read off the wire; {@code body} is null when it was larger than the handler accepts. */
    record Request(String method, String rawPath, String rawQuery, String version, Headers headers, byte[] body) {
    }

    /** What happens to the connection with a reply. */
    enum Wire {
        /** Answer; keep the connection open unless the client asked to close it. */
        NORMAL,
        /** Answer as HTTP/1.1 without a {@code Connection} header, then close: a server that closes silently. */
        CLOSE,
        /** Answer as {@code HTTP/1.0} with no {@code Connection} header, then close, as HTTP/1.0 servers do. */
        HTTP_1_0,
        /** Close without any answer. */
        DROP,
        /** Send the headers with the full {@code Content-Length} but only the first half of the body, then close. */
        TRUNCATE
    }

    /** A reply: status, extra headers, body (null or empty: none) and what to do with the connection. */
    record Reply(int status, Map<String, String> headers, byte[] body, String contentType, Wire wire) {
        Reply withWire(Wire other) {
            return new Reply(status, headers, body, contentType, other);
        }
    }

    interface Handler {
        Reply handle(Request request);
    }

    private final ServerSocket listener;
    private final Handler handler;
    private final int maxBodyBytes;
    private final Duration idleTimeout;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FakeHttpServer(InetAddress address, int port, Handler handler, int maxBodyBytes, Duration idleTimeout)
            throws IOException {
        this.listener = new ServerSocket(port, 50, address);
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.idleTimeout = idleTimeout;
        this.threads = Executors.newCachedThreadPool(daemonThreads());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Stops listening and cuts every open connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(socket);
            if (closed) {
                open.remove(socket);
                closeQuietly(socket); // accepted while close() ran: it must not outlive the server
                return;
            }
            try {
                threads.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                open.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            // Headers and body go out in one write, and Nagle would hold the last segment for the client's ACK.
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
                String requestLine;
                try {
                    requestLine = readLine(in, true);
                } catch (SocketTimeoutException e) {
                    return; // keep-alive ran out: close without a word, as servers do
                }
                if (requestLine == null) {
                    return; // the client closed
                }
                socket.setSoTimeout(30_000);
                Request request;
                try {
                    request = readRequest(requestLine, in, out);
                } catch (MalformedRequest e) {
                    write(out, "HTTP/1.1", e.reply, true);
                    return;
                }
                Reply reply = handler.handle(request);
                boolean clientCloses = wantsClose(request);
                switch (reply.wire()) {
                    case DROP:
                        return;
                    case HTTP_1_0:
                        write(out, "HTTP/1.0", reply, false);
                        return;
                    case CLOSE:
                        write(out, "HTTP/1.1", reply, false);
                        return;
                    case TRUNCATE:
                        writeTruncated(out, reply);
                        return;
                    default:
                        write(out, "HTTP/1.1", reply, clientCloses);
                        if (clientCloses) {
                            return;
                        }
                }
            }
        } catch (IOException e) {
            // The client went away.
        } finally {
            open.remove(socket);
        }
    }

    private static boolean wantsClose(Request request) {
        String connection = request.headers().getFirst("Connection");
        boolean keepAlive = connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
        boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
        return close || (request.version().equals("HTTP/1.0") && !keepAlive);
    }

    private static final class MalformedRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Reply reply;

        MalformedRequest(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private Request readRequest(String requestLine, InputStream in, OutputStream out)
            throws IOException, MalformedRequest {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new MalformedRequest(plain(400, "malformed request line: send 'METHOD /path HTTP/1.1'"));
        }
        Headers headers = new Headers();
        int headBytes = requestLine.length();
        for (String line; !(line = readLine(in, false)).isEmpty(); ) {
            headBytes += line.length();
            int colon = line.indexOf(':');
            if (colon <= 0 || headBytes > MAX_HEAD_BYTES) {
                throw new MalformedRequest(plain(400, "malformed or oversized request headers"));
            }
            headers.add(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        String target = parts[1];
        if (target.startsWith("http://") || target.startsWith("https://")) {
            // The absolute form a client sends to a proxy: the path starts after the authority.
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (!target.startsWith("/")) {
            throw new MalformedRequest(plain(400, "the request target must be a path starting with /"));
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        if ("100-continue".equalsIgnoreCase(headers.getFirst("Expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        return new Request(parts[0], path, query, parts[2], headers, readBody(in, headers));
    }

    /** The body (chunked or by Content-Length), or null when larger than the limit; read whole either way. */
    private byte[] readBody(InputStream in, Headers headers) throws IOException, MalformedRequest {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean tooLarge = false;
        String encoding = headers.getFirst("Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = readLine(in, false);
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new MalformedRequest(plain(400, "malformed chunk size"));
                }
                if (size == 0) {
                    while (!readLine(in, false).isEmpty()) {
                        // trailers: ignored
                    }
                    break;
                }
                tooLarge |= copy(in, size, body, tooLarge);
                readLine(in, false);
            }
        } else {
            String length = headers.getFirst("Content-Length");
            if (length != null) {
                long size;
                try {
                    size = Long.parseLong(length.strip());
                } catch (NumberFormatException e) {
                    size = -1;
                }
                if (size < 0) {
                    throw new MalformedRequest(plain(400, "malformed Content-Length"));
                }
                tooLarge = copy(in, size, body, false);
            }
        }
        return tooLarge ? null : body.toByteArray();
    }

    /** Reads {@code size} bytes; keeps them while the total stays under the limit. Returns whether it went over. */
    private boolean copy(InputStream in, long size, ByteArrayOutputStream body, boolean alreadyTooLarge)
            throws IOException {
        byte[] buffer = new byte[8192];
        boolean tooLarge = alreadyTooLarge;
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the client closed the connection inside the body");
            }
            left -= n;
            if (!tooLarge && body.size() + n <= maxBodyBytes) {
                body.write(buffer, 0, n);
            } else {
                tooLarge = true; // keep reading so the connection stays usable
            }
        }
        return tooLarge;
    }

    /** One line without its CRLF (or LF); null at a clean end of stream when {@code mayEnd}. */
    private static String readLine(InputStream in, boolean mayEnd) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (mayEnd && line.length() == 0) {
                    return null;
                }
                throw new IOException("the client closed the connection inside a request");
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > MAX_HEAD_BYTES) {
                throw new IOException("request line or header too long");
            }
            line.append((char) c);
        }
    }

    private static void write(OutputStream out, String version, Reply reply, boolean sayClose) throws IOException {
        out.write(head(version, reply, sayClose));
        if (hasBody(reply)) {
            out.write(reply.body());
        }
        out.flush();
    }

    private static void writeTruncated(OutputStream out, Reply reply) throws IOException {
        out.write(head("HTTP/1.1", reply, false));
        if (hasBody(reply)) {
            out.write(reply.body(), 0, reply.body().length / 2);
        }
        out.flush();
    }

    private static boolean hasBody(Reply reply) {
        return reply.body() != null && reply.body().length > 0 && reply.status() != 204 && reply.status() != 304;
    }

    private static byte[] head(String version, Reply reply, boolean sayClose) {
        StringBuilder head = new StringBuilder();
        head.append(version).append(' ').append(reply.status()).append(' ')
                .append(FakeSpellApi.reason(reply.status())).append("\r\n");
        reply.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (hasBody(reply)) {
            head.append("Content-Type: ").append(reply.contentType()).append("\r\n");
            head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        } else if (reply.status() != 204 && reply.status() != 304) {
            head.append("Content-Length: 0\r\n");
        }
        if (sayClose) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Reply plain(int status, String message) {
        byte[] body = ("{\"status\":\"" + FakeSpellApi.reason(status) + "\",\"error\":\"" + message + "\",\"code\":"
                + status + "}").getBytes(StandardCharsets.UTF_8);
        return new Reply(status, Map.of(), body, "application/json", Wire.NORMAL);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fake-spell-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
