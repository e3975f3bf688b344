package io.aiops.policy.adapter.out.http;

import io.aiops.policy.domain.OutboundPolicy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The one way the server calls a URL: HTTP/1.1 over a connection to an address the {@link OutboundPolicy} permits.
 * The host is resolved once, every address is checked, and the connection goes to a checked address (TLS with the
 * host name for SNI and certificate verification), so a name that resolves elsewhere after the check reaches
 * nothing new. Redirects are never followed.
 */
public final class PinnedHttp {

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;

    private final OutboundPolicy policy;
    private final Duration timeout;
    private final SSLContext tls;

    public PinnedHttp(OutboundPolicy policy, Duration timeout) {
        this(policy, timeout, defaultTls());
    }

    /** As above, trusting what {@code tls} trusts (tests: a server with its own certificate authority). */
    public PinnedHttp(OutboundPolicy policy, Duration timeout, SSLContext tls) {
        this.policy = policy;
        this.timeout = timeout;
        this.tls = tls;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /** Posts {@code body} and returns the answer's status code; the answer's body is never read. */
    public int post(URI target, String contentType, byte[] body, Map<String, String> headers)
            throws OutboundPolicy.Refused, IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", contentType);
        all.put("Content-Length", String.valueOf(body.length));
        all.putAll(headers);
        try (Socket channel = open(target)) {
            OutputStream out = channel.getOutputStream();
            out.write(head("POST", target, all).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return status(new BufferedInputStream(channel.getInputStream()));
        }
    }

    /**
     * The body of a 200 answer to a GET (length-delimited, chunked or up to the end of the connection), all of it
     * within the timeout (a server that trickles bytes is cut off, not waited for).
     *
     * @throws IOException for another status ("HTTP 404"), a body over {@code maxBytes}, or a broken or late answer
     */
    public byte[] get(URI target, long maxBytes) throws OutboundPolicy.Refused, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket channel = open(target)) {
            OutputStream out = channel.getOutputStream();
            out.write(head("GET", target, Map.of("Accept-Encoding", "identity")).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new Deadline(new BufferedInputStream(channel.getInputStream()), deadline, timeout);
            int status = status(in);
            Map<String, String> headers = headers(in);
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            if ("chunked"
                    .equalsIgnoreCase(
                            headers.getOrDefault("transfer-encoding", "").strip())) {
                return chunked(in, maxBytes);
            }
            String length = headers.get("content-length");
            if (length != null) {
                long size = Long.parseLong(length.strip());
                if (size > maxBytes) {
                    throw new IOException("the answer has " + size + " bytes, more than " + maxBytes);
                }
                byte[] body = in.readNBytes((int) size);
                if (body.length != size) {
                    throw new IOException("the answer ended after " + body.length + " of " + size + " bytes");
                }
                return body;
            }
            return upTo(in, maxBytes);
        }
    }

    /** Refuses to read on once the whole answer has taken longer than the timeout. */
    private static final class Deadline extends FilterInputStream {
        private final long deadline;
        private final Duration timeout;

        Deadline(InputStream in, long deadline, Duration timeout) {
            super(in);
            this.deadline = deadline;
            this.timeout = timeout;
        }

        private void check() throws SocketTimeoutException {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("the answer took longer than " + timeout);
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }
    }

    private Socket open(URI target) throws OutboundPolicy.Refused, IOException {
        List<InetAddress> addresses = policy.permittedAddresses(target);
        boolean secure = "https".equalsIgnoreCase(target.getScheme());
        Socket socket = connect(addresses, port(target));
        try {
            return secure ? tls(socket, target.getHost(), port(target)) : socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static int port(URI target) {
        return target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    }

    private Socket connect(List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last;
    }

    /** TLS over the connected socket, verified for {@code host} (SNI and the certificate's names), not the address. */
    private Socket tls(Socket socket, String host, int port) throws IOException {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, name, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!name.contains(":") && !Character.isDigit(name.charAt(name.length() - 1))) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private static String head(String method, URI target, Map<String, String> headers) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path = path + "?" + target.getRawQuery();
        }
        int port = port(target);
        boolean defaultPort = port == ("https".equalsIgnoreCase(target.getScheme()) ? 443 : 80);
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(target.getHost())
                .append(defaultPort ? "" : ":" + port)
                .append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " holds a line break");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        return head.append("\r\n").toString();
    }

    /** The status code of the answer's status line ({@code HTTP/1.1 204 No Content}). */
    private static int status(InputStream in) throws IOException {
        String[] parts = line(in).strip().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP answer");
        }
        return Integer.parseInt(parts[1]);
    }

    /** The header fields up to the empty line, names in lower case. */
    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i <= MAX_HEADERS; i++) {
            String line = line(in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        throw new IOException("more than " + MAX_HEADERS + " header fields");
    }

    /** One line without its CR LF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() >= MAX_LINE) {
                throw new IOException("line too long");
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("the answer ended early");
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static byte[] chunked(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int extension = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + sizeLine);
            }
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailer fields are not used
                }
                return body.toByteArray();
            }
            if (body.size() + size > maxBytes) {
                throw new IOException("the answer has more than " + maxBytes + " bytes");
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length != size) {
                throw new IOException("the answer ended inside a chunk");
            }
            body.write(chunk);
            line(in);
        }
    }

    private static byte[] upTo(InputStream in, long maxBytes) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            throw new IOException("the answer has more than " + maxBytes + " bytes");
        }
        return body;
    }
}
