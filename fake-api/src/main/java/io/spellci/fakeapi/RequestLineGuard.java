package io.spellci.fakeapi;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sits in front of the JDK's HTTP server, which answers a request target it cannot parse as a URI (a malformed
 * escape such as {@code /v1/users/%zz}) itself, with an HTML 400, before any handler runs. Relays every connection
 * byte for byte, except that such a target is re-escaped and the original passed in {@link #ORIGINAL_TARGET}, so the
 * fake applies its own rules to it (faults first, then its JSON 400). Request heads and bodies are framed
 * (Content-Length or chunked) to find each request of a kept-alive connection; answers pass through untouched.
 */
final class RequestLineGuard implements Closeable {
    /** Set only by the guard (a client's own is removed): the target as the client sent it. */
    static final String ORIGINAL_TARGET = "X-Fake-Spell-Original-Target";
    /** A head longer than this is passed on as it is; the JDK server refuses it anyway. */
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress backend;
    private final ExecutorService pool;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    RequestLineGuard(InetAddress address, int port, InetSocketAddress backend, ExecutorService pool) throws IOException {
        this.backend = backend;
        this.pool = pool;
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.listener = socket;
    }

    int port() {
        return listener.getLocalPort();
    }

    void start() {
        Thread acceptor = new Thread(this::accept, "fake-spell-api-guard");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                pool.execute(() -> relay(client));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        Socket server = new Socket();
        open.add(client);
        open.add(server);
        CountDownLatch answered = new CountDownLatch(1);
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(backend);
            InputStream fromServer = server.getInputStream();
            OutputStream toClient = client.getOutputStream();
            pool.execute(() -> {
                try {
                    fromServer.transferTo(toClient);
                } catch (IOException ignored) {
                    // either side went away
                } finally {
                    answered.countDown();
                    closeQuietly(client); // the server ended the connection (after an answer, or a dropped one)
                }
            });
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            while (forwardRequest(in, out)) {
                out.flush();
            }
            server.shutdownOutput(); // the client is done sending; let the last answer arrive
            answered.await(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // a side went away: nothing to relay
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(server);
            open.remove(client);
            open.remove(server);
        }
    }

    /** Forwards one request (head and body); false at the end of the client's stream. */
    private static boolean forwardRequest(InputStream in, OutputStream out) throws IOException {
        byte[] head = readHead(in);
        if (head == null) {
            return false;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\r\n\r\n")) {
            out.write(head); // too long or cut short: the JDK server says what is wrong with it
            in.transferTo(out);
            return false;
        }
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        StringBuilder forwarded = new StringBuilder(text.length() + 64);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length == 3 && !isUri(requestLine[1]) && isUri(escape(requestLine[1]))) {
            forwarded.append(requestLine[0]).append(' ').append(escape(requestLine[1])).append(' ')
                    .append(requestLine[2]).append("\r\n");
            forwarded.append(ORIGINAL_TARGET).append(": ").append(requestLine[1]).append("\r\n");
        } else {
            forwarded.append(lines[0]).append("\r\n");
        }
        long length = 0;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon).strip();
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase(ORIGINAL_TARGET)) {
                continue;
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    length = 0; // the JDK server refuses the request
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            forwarded.append(line).append("\r\n");
        }
        forwarded.append("\r\n");
        out.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (chunked) {
            copyChunked(in, out);
        } else {
            copy(in, out, length);
        }
        return true;
    }

    /** The head up to and including the empty line, or null at the end of the stream before any byte. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4 || head.size() > MAX_HEAD) {
                return head.toByteArray();
            }
        }
        return head.size() == 0 ? null : head.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new SocketException("the client ended the body early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in, out);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                in.transferTo(out); // malformed: the JDK server answers it
                return;
            }
            if (size == 0) {
                while (!readLine(in, out).isEmpty()) {
                    // trailers
                }
                return;
            }
            copy(in, out, size + 2); // the data and its CRLF
        }
    }

    /** Reads a line ending in CRLF, forwards it whole, and returns it without the CRLF. */
    private static String readLine(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        throw new SocketException("the client ended a chunked body early");
    }

    static boolean isUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The target with each '%' that starts no escape, and each character a URI may not hold, percent-escaped. */
    static String escape(String target) {
        StringBuilder out = new StringBuilder(target.length() + 16);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean escapeStart = c == '%' && i + 2 < target.length()
                    && Character.digit(target.charAt(i + 1), 16) >= 0 && Character.digit(target.charAt(i + 2), 16) >= 0;
            if (escapeStart || (c != '%' && allowed(c))) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c & 0xff));
            }
        }
        return out.toString();
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
