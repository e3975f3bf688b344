package io.aiops.policy.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the server may send requests that users configure (alert webhooks): https only unless plain http is allowed;
 * never to loopback, unspecified, link-local (169.254.0.0/16 with the cloud metadata service, fe80::/10), private
 * (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), unique-local (fc00::/7), multicast or IPv4-mapped
 * forms of them, unless the host or a CIDR range holding the address is allow-listed. Names are checked by the
 * addresses they resolve to; the caller connects to exactly the addresses {@link #permittedAddresses} returned, so a
 * name that resolves elsewhere a moment later (DNS rebinding) gains nothing. IPv4 addresses must be spelled as four
 * decimal parts: other spellings (2130706433, 0x7f.1, 0177.0.0.1) mean different addresses to different parsers.
 */
public final class OutboundPolicy {

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL the policy refuses, and why (a fixed reason about the URL, never anything learnt from the network). */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    /** Addresses the policy lets a request go to, or the reason it does not. */
    private record Range(byte[] network, int prefix) {

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }

    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Hosts some parser reads as an IPv4 number: dot-separated decimal, octal or 0x-hex parts. */
    private static final Pattern NUMERIC_HOST =
            Pattern.compile("(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+))*\\.?", Pattern.CASE_INSENSITIVE);

    private final boolean allowHttp;
    private final List<String> allowedHosts = new ArrayList<>();
    private final List<Range> allowedRanges = new ArrayList<>();
    private final Resolver resolver;

    /**
     * @param allowed host names (exact, any case) and CIDR ranges ({@code 10.1.0.0/16}, {@code fd00::/8}) requests may
     *     go to although they are internal; an allow-listed host may also be called over plain http
     */
    public OutboundPolicy(boolean allowHttp, List<String> allowed, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        for (String entry : allowed == null ? List.<String>of() : allowed) {
            String value = entry.strip();
            if (value.isEmpty()) {
                continue;
            }
            if (value.contains("/")) {
                allowedRanges.add(range(value));
            } else {
                String host =
                        value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
                allowedHosts.add(host.toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The system resolver, nothing allow-listed, https only. */
    public static OutboundPolicy strict() {
        return new OutboundPolicy(false, List.of(), InetAddress::getAllByName);
    }

    /**
     * Checks a URL when it is configured: refused when its scheme, spelling or any address it resolves to now is not
     * permitted. A name that does not resolve now is accepted (the delivery checks again).
     */
    public void check(URI url) throws Refused {
        String host = host(url);
        if (allowedHosts.contains(host)) {
            return;
        }
        try {
            permitted(host, resolver.resolve(host));
        } catch (UnknownHostException e) {
            // not resolvable from here now: checked again, on the addresses it then has, before every request
        }
    }

    /**
     * The addresses a request to {@code url} may connect to now: every address its host resolves to must be permitted
     * (a name with one internal address among public ones is refused whole). Connect to these, not to the name.
     */
    public List<InetAddress> permittedAddresses(URI url) throws Refused {
        String host = host(url);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new Refused("host " + host + " does not resolve");
        }
        if (!allowedHosts.contains(host)) {
            permitted(host, addresses);
        }
        return List.of(addresses);
    }

    private void permitted(String host, InetAddress[] addresses) throws Refused {
        for (InetAddress address : addresses) {
            String range = internalRange(address);
            if (range != null && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
                throw new Refused(host + " is " + (host.equals(address.getHostAddress()) ? "" : "resolves to ") + "a "
                        + range + " address; allow-list it (aiops.outbound.allowed-hosts) to send there");
            }
        }
    }

    /** The lower-case host of an absolute http(s) URL whose scheme and spelling the policy accepts. */
    private String host(URI url) throws Refused {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? null : url.getHost().toLowerCase(Locale.ROOT);
        if (host == null && url.getRawAuthority() != null && (scheme.equals("https") || scheme.equals("http"))) {
            // java.net.URI finds no host in 127.1 or 0x7f.0.0.1: neither a name nor a four-part address
            throw new Refused("write the host as a name, or an IPv4 address as four decimal numbers, not '"
                    + url.getRawAuthority() + "'");
        }
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new Refused("only absolute http(s) URLs are called");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (url.getRawUserInfo() != null) {
            throw new Refused("URLs with user information are not called");
        }
        if (scheme.equals("http") && !allowHttp && !allowedHosts.contains(host)) {
            throw new Refused("only https URLs are called (aiops.outbound.allow-http is off)");
        }
        if (!host.contains(":")
                && NUMERIC_HOST.matcher(host).matches()
                && !DOTTED_QUAD.matcher(host).matches()) {
            throw new Refused("write an IPv4 address as four decimal numbers (a.b.c.d), not '" + host + "'");
        }
        return host;
    }

    /** Which internal range the address is in, or null for a public address. */
    public static String internalRange(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms are judged as the IPv4 address
            boolean mapped = isZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
            boolean compatible = isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
            if (mapped || compatible) {
                try {
                    return internalRange(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            if ((b[0] & 0xFE) == 0xFC) {
                return "unique-local";
            }
            // NAT64 (64:ff9b::/96) reaches IPv4 addresses through a translator: judged as the IPv4 address too
            if ((b[0] & 0xFF) == 0x00
                    && (b[1] & 0xFF) == 0x64
                    && (b[2] & 0xFF) == 0xFF
                    && (b[3] & 0xFF) == 0x9B
                    && isZero(b, 4, 12)) {
                try {
                    return internalRange(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        if (address instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            if (first == 0) {
                return "unspecified";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "carrier-grade NAT";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "benchmarking";
            }
            if (first >= 240) {
                return "reserved";
            }
        }
        return null;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Range range(String cidr) {
        String[] parts = cidr.split("/", 2);
        try {
            byte[] network = InetAddress.getByName(parts[0].strip()).getAddress();
            int prefix = Integer.parseInt(parts[1].strip());
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix out of range in " + cidr);
            }
            return new Range(network, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR range: " + cidr, e);
        }
    }
}
