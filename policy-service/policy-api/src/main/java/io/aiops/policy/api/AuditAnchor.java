package io.aiops.policy.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Instant;

/**
 * A project's audit chain head as published outside the database: entry {@code seq} had hash {@code hash} at
 * {@code anchoredAt}, signed (HMAC-SHA256, hex) with the key {@code keyId} names, which the database does not hold.
 * Keep anchors where the database's owner cannot reach; {@code POST /api/v1/audit/verify} checks the chain against
 * them.
 */
public record AuditAnchor(
        @NotBlank @Name String project,
        @Positive long seq,
        @NotNull @Pattern(regexp = "[0-9a-f]{64}") String hash,
        @NotNull Instant anchoredAt,
        @NotNull @Pattern(regexp = "[0-9a-f]{16}") String keyId,
        @NotNull @Pattern(regexp = "[0-9a-f]{64}") String signature) {}
