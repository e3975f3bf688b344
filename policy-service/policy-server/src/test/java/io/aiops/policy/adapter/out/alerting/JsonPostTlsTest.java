package io.aiops.policy.adapter.out.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.aiops.policy.application.port.out.AlertChannel.DeliveryFailed;
import io.aiops.policy.domain.OutboundPolicy;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook posts over TLS to the checked address: the connection goes to the address the policy checked, while the
 * certificate is verified for the URL's host name (SNI and hostname verification), against a receiver with a
 * certificate for {@code receiver.test} made here with keytool.
 */
class JsonPostTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private HttpsServer receiver;
    private SSLContext trusting;
    private final List<String> hosts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void receiverWithItsOwnCertificate() throws Exception {
        Path keystore = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "receiver",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=receiver.test",
                        "-ext",
                        "SAN=dns:receiver.test",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext serving = SSLContext.getInstance("TLS");
        serving.init(keys.getKeyManagers(), null, null);
        receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setHttpsConfigurator(new HttpsConfigurator(serving));
        receiver.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        // the sender trusts that certificate, as it would trust a public CA's
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    /** Every name resolves to loopback, which the policy allows here: the names differ only in the certificate check. */
    private JsonPost post(SSLContext tls) {
        OutboundPolicy.Resolver loopback = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        return new JsonPost(
                new ObjectMapper(),
                Duration.ofSeconds(5),
                new OutboundPolicy(false, List.of("127.0.0.0/8"), loopback),
                tls);
    }

    private URI url(String host) {
        return URI.create("https://" + host + ":" + receiver.getAddress().getPort() + "/hook");
    }

    @Test
    void aPostToTheCertificatesNameArrivesAtTheCheckedAddress() {
        post(trusting).post(url("receiver.test"), Map.of("a", 1), Map.of());

        assertThat(hosts)
                .containsExactly("receiver.test:" + receiver.getAddress().getPort());
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        assertThatThrownBy(() -> post(trusting).post(url("other.test"), Map.of("a", 1), Map.of()))
                .isInstanceOf(DeliveryFailed.class)
                .hasMessage("no connection to other.test");
        assertThat(hosts).isEmpty();
    }

    @Test
    void aCertificateNobodyVouchesForIsRefused() throws Exception {
        SSLContext defaults = SSLContext.getInstance("TLS");
        defaults.init(null, null, null);

        assertThatThrownBy(() -> post(defaults).post(url("receiver.test"), Map.of("a", 1), Map.of()))
                .hasMessage("no connection to receiver.test");
        assertThat(hosts).isEmpty();
    }
}
