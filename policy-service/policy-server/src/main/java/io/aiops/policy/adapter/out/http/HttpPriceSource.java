package io.aiops.policy.adapter.out.http;

import io.aiops.policy.application.port.out.PriceSourceReader;
import io.aiops.policy.domain.OutboundPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** A price source at an {@code http(s)://} URL (over {@link PinnedHttp}) or at a file path. */
public final class HttpPriceSource implements PriceSourceReader {

    private final PinnedHttp http;

    public HttpPriceSource(OutboundPolicy policy, Duration timeout) {
        this(new PinnedHttp(policy, timeout));
    }

    public HttpPriceSource(PinnedHttp http) {
        this.http = http;
    }

    @Override
    public byte[] read(String location) throws IOException {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            try {
                return http.get(URI.create(location), MAX_BYTES);
            } catch (OutboundPolicy.Refused e) {
                throw new IOException("refused by the outbound policy: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IOException("not a URL: " + e.getMessage(), e);
            }
        }
        Path file = Path.of(location);
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(location + " has more than " + MAX_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }
}
