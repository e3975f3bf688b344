package io.aiops.policy.adapter.out.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.application.port.out.AlertChannel.DeliveryFailed;
import io.aiops.policy.domain.OutboundPolicy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Posts one JSON body over HTTP/1.1 and accepts any 2xx. The host is resolved once, every address is checked against
 * the {@link OutboundPolicy}, and the connection goes to a checked address (TLS with the host name for SNI and
 * certificate verification), so a name that resolves elsewhere after the check reaches nothing new. Redirects are
 * not followed. The answer's body is never read: a failure says only the status or a fixed reason, so a receiver's
 * answer (an internal service's, say) never reaches the alert's readers.
 */
final class JsonPost {

  private static final int MAX_STATUS_LINE = 8 * 1024;

  private final ObjectMapper json;
  private final Duration timeout;
  private final OutboundPolicy policy;
  private final SSLContext tls;

  JsonPost(ObjectMapper json, Duration timeout, OutboundPolicy policy) {
    this(json, timeout, policy, defaultTls());
  }

  /** As above, trusting what {@code tls} trusts (tests: a receiver with its own certificate authority). */
  JsonPost(ObjectMapper json, Duration timeout, OutboundPolicy policy, SSLContext tls) {
    this.json = json;
    this.timeout = timeout;
    this.policy = policy;
    this.tls = tls;
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  void post(URI target, Object body, Map<String, String> headers) {
    post(target, bytes(body), headers);
  }

  byte[] bytes(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write alert body", e);
    }
  }

  /** Posts {@code bytes} as they are (a signature over them stays valid). */
  void post(URI target, byte[] bytes, Map<String, String> headers) {
    List<InetAddress> addresses;
    try {
      addresses = policy.permittedAddresses(target);
    } catch (OutboundPolicy.Refused e) {
      throw new DeliveryFailed("refused by the outbound policy: " + e.getMessage());
    }
    boolean tls = "https".equalsIgnoreCase(target.getScheme());
    int port = target.getPort() != -1 ? target.getPort() : tls ? 443 : 80;
    int status;
    try (Socket socket = connect(addresses, port)) {
      Socket channel = tls ? tls(socket, target.getHost(), port) : socket;
      OutputStream out = channel.getOutputStream();
      out.write(head(target, port, tls, bytes.length, headers).getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      status = status(new BufferedInputStream(channel.getInputStream()));
    } catch (SocketTimeoutException e) {
      throw new DeliveryFailed("no answer within " + timeout, e);
    } catch (IOException e) {
      throw new DeliveryFailed("no connection to " + target.getHost(), e);
    }
    if (status / 100 != 2) {
      throw new DeliveryFailed("HTTP " + status);
    }
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

  private static String head(URI target, int port, boolean tls, int length, Map<String, String> headers) {
    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    if (target.getRawQuery() != null) {
      path = path + "?" + target.getRawQuery();
    }
    boolean defaultPort = port == (tls ? 443 : 80);
    StringBuilder head = new StringBuilder()
        .append("POST ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(target.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Content-Length: ").append(length).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> {
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header " + name + " holds a line break");
      }
      head.append(name).append(": ").append(value).append("\r\n");
    });
    return head.append("\r\n").toString();
  }

  /** The status code of the answer's status line ({@code HTTP/1.1 204 No Content}); the rest is not read. */
  private static int status(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (line.size() >= MAX_STATUS_LINE) {
        throw new IOException("status line too long");
      }
      line.write(b);
    }
    String[] parts = line.toString(StandardCharsets.ISO_8859_1).strip().split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP answer");
    }
    return Integer.parseInt(parts[1]);
  }
}
