package io.aiops.policy.adapter.out.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.api.PolicyClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.JSONB;

/** Column value conversions: jsonb with the API's JSON mapping, timestamptz as UTC instants. */
final class ColumnValues {

    private ColumnValues() {}

    static JSONB toJsonb(Object value) {
        try {
            return JSONB.valueOf(PolicyClient.JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON column", e);
        }
    }

    static <T> T fromJsonb(JSONB json, TypeReference<T> type) {
        try {
            return PolicyClient.JSON.readValue(json.data(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read JSON column", e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
