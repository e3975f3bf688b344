package io.aiops.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF matrix: which URLs a user-configured webhook may point to, by address range, spelling and resolution. */
class OutboundPolicyTest {

    /** Names resolve to what the test says, each lookup taking the next answer; literals parse as usual. */
    private final Map<String, Deque<InetAddress[]>> dns = new HashMap<>();

    private InetAddress[] resolve(String host) throws UnknownHostException {
        Deque<InetAddress[]> answers = dns.get(host);
        if (answers != null) {
            return answers.size() > 1 ? answers.poll() : answers.peek();
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return InetAddress.getAllByName(host);
        }
        throw new UnknownHostException(host);
    }

    private OutboundPolicy policy(boolean allowHttp, String... allowed) {
        return new OutboundPolicy(allowHttp, List.of(allowed), this::resolve);
    }

    private void answers(String host, String... each) throws UnknownHostException {
        Deque<InetAddress[]> queue = new ArrayDeque<>();
        for (String answer : each) {
            String[] parts = answer.split(",");
            InetAddress[] addresses = new InetAddress[parts.length];
            for (int i = 0; i < parts.length; i++) {
                addresses[i] = InetAddress.getByName(parts[i]);
            }
            queue.add(addresses);
        }
        dns.put(host, queue);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1/",
                "https://127.8.9.10/",
                "https://10.0.0.5/",
                "https://172.16.5.4/",
                "https://172.31.255.1/",
                "https://192.168.1.1/",
                "https://169.254.169.254/latest/meta-data/",
                "https://100.64.0.1/",
                "https://0.0.0.0/",
                "https://224.0.0.1/",
                "https://255.255.255.255/",
                "https://[::1]/",
                "https://[::]/",
                "https://[fe80::1]/",
                "https://[fd00::1]/",
                "https://[fc00::5]/",
                "https://[::ffff:127.0.0.1]/",
                "https://[::ffff:10.0.0.1]/",
                "https://[::ffff:a9fe:a9fe]/",
                "https://[64:ff9b::a9fe:a9fe]/",
                "https://[::127.0.0.1]/"
            })
    void internalAddressesAreRefused(String url) {
        assertThatThrownBy(() -> policy(false).check(URI.create(url)))
                .isInstanceOf(OutboundPolicy.Refused.class)
                .hasMessageContaining("address; allow-list it");
        assertThatThrownBy(() -> policy(false).permittedAddresses(URI.create(url)))
                .isInstanceOf(OutboundPolicy.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://2130706433/",
                "https://0x7f000001/",
                "https://0177.0.0.1/",
                "https://127.1/",
                "https://0x7f.0.0.1/",
                "https://017700000001/",
                "https://10.1/"
            })
    void ipv4AddressesSpelledOtherThanAsFourDecimalsAreRefused(String url) {
        assertThatThrownBy(() -> policy(false).check(URI.create(url)))
                .isInstanceOf(OutboundPolicy.Refused.class)
                .hasMessageContaining("four decimal numbers");
    }

    @Test
    void publicAddressesAndNamesArePermitted() throws Exception {
        answers("hooks.example.com", "93.184.216.34,2606:2800:220:1:248:1893:25c8:1946");
        OutboundPolicy policy = policy(false);

        assertThatCode(() -> policy.check(URI.create("https://93.184.216.34/hook")))
                .doesNotThrowAnyException();
        assertThat(policy.permittedAddresses(URI.create("https://hooks.example.com/T000")))
                .extracting(InetAddress::getHostAddress)
                .contains("93.184.216.34");
        // a name that does not resolve now is accepted when configured, and refused when a request is due
        assertThatCode(() -> policy.check(URI.create("https://not-yet.example.com/")))
                .doesNotThrowAnyException();
        // names made of hex letters are names, not numbers
        assertThatCode(() -> policy.check(URI.create("https://dead.beef.cafe/")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.permittedAddresses(URI.create("https://not-yet.example.com/")))
                .hasMessageContaining("does not resolve");
    }

    @Test
    void plainHttpOnlyWhenAllowedOrForAnAllowListedHost() {
        assertThatThrownBy(() -> policy(false).check(URI.create("http://93.184.216.34/")))
                .hasMessageContaining("only https");
        assertThatCode(() -> policy(true).check(URI.create("http://93.184.216.34/")))
                .doesNotThrowAnyException();
        assertThatCode(() -> policy(false, "alerts.internal").check(URI.create("http://alerts.internal/")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> policy(false).check(URI.create("ftp://93.184.216.34/")))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> policy(false).check(URI.create("https://user:pw@93.184.216.34/")))
                .hasMessageContaining("user information");
    }

    @Test
    void allowListedRangesAndHostsLetInternalTargetsThrough() throws Exception {
        answers("alertmanager.svc", "10.20.0.7");
        OutboundPolicy policy = policy(false, "10.20.0.0/16", "fd12::/16");

        assertThat(policy.permittedAddresses(URI.create("https://alertmanager.svc/api")))
                .extracting(InetAddress::getHostAddress)
                .containsExactly("10.20.0.7");
        assertThatCode(() -> policy.check(URI.create("https://[fd12::3]/"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check(URI.create("https://10.21.0.1/"))).hasMessageContaining("private");
        assertThatThrownBy(() -> policy.check(URI.create("https://169.254.169.254/")))
                .hasMessageContaining("link-local");
    }

    @Test
    void aNameThatRebindsToAnInternalAddressAfterTheCheckIsRefusedWhenTheRequestIsDue() throws Exception {
        // first lookup (when the rule is saved): public; every later one: loopback
        answers("rebind.example.com", "93.184.216.34", "127.0.0.1");
        OutboundPolicy policy = policy(false);

        policy.check(URI.create("https://rebind.example.com/hook"));

        assertThatThrownBy(() -> policy.permittedAddresses(URI.create("https://rebind.example.com/hook")))
                .isInstanceOf(OutboundPolicy.Refused.class)
                .hasMessageContaining("resolves to a loopback address");
    }

    @Test
    void aNameWithOneInternalAddressAmongPublicOnesIsRefusedWhole() throws Exception {
        answers("mixed.example.com", "93.184.216.34,169.254.169.254");

        assertThatThrownBy(() -> policy(false).permittedAddresses(URI.create("https://mixed.example.com/")))
                .hasMessageContaining("link-local");
    }
}
