package io.aiops.policy.application.service;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.ApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues and recognises API keys. Keys are random 256-bit values; only their SHA-256 hash is stored, which also
 * makes the lookup cacheable: recognised keys are kept in memory for a short time so each request does not hit the
 * database.
 */
public class ApiKeyService implements ApiKeyUseCase {

  private static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final int CACHE_LIMIT = 10_000;

  private final ApiKeyStore keys;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, CachedPrincipal> recognised = new ConcurrentHashMap<>();

  private record CachedPrincipal(ApiPrincipal principal, Instant loadedAt) {}

  public ApiKeyService(ApiKeyStore keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  @Transactional
  public IssuedApiKey issue(ApiKeyRequest request) {
    if (request == null) {
      throw RequestRejected.invalid(null, "an API key request is required");
    }
    if (request.name() == null || request.name().isBlank()) {
      throw RequestRejected.invalid("name", "name is required");
    }
    if (request.role() == null) {
      throw RequestRejected.invalid("role", "role is required (ADMIN, WORKER or VIEWER)");
    }
    List<String> projects = request.projects() == null ? List.of() : List.copyOf(request.projects());
    if (projects.stream().anyMatch(p -> p == null || p.isBlank())) {
      throw RequestRejected.invalid("projects", "projects must not contain blank names");
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String key = "aiops_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    UUID id = UUID.randomUUID();
    keys.insertIfAbsent(id, request.name(), hash(key), request.role(), projects, clock.instant());
    return new IssuedApiKey(id, request.name(), request.role(), projects, key);
  }

  // no transaction: one indexed read, and a cache hit should not take a pooled connection
  @Override
  public Optional<ApiPrincipal> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank()) {
      return Optional.empty();
    }
    String hash = hash(presentedKey);
    Instant now = clock.instant();
    CachedPrincipal cached = recognised.get(hash);
    if (cached != null && cached.loadedAt().plus(CACHE_TTL).isAfter(now) && !cached.loadedAt().isAfter(now)) {
      return Optional.of(cached.principal());
    }
    Optional<ApiPrincipal> principal = keys.findActiveByHash(hash);
    if (principal.isPresent()) {
      if (recognised.size() >= CACHE_LIMIT) {
        recognised.clear();
      }
      recognised.put(hash, new CachedPrincipal(principal.get(), now));
    } else {
      recognised.remove(hash);
    }
    return principal;
  }

  @Override
  @Transactional
  public void ensureAdminKey(String key) {
    if (key == null || key.isBlank()) {
      return;
    }
    keys.insertIfAbsent(UUID.randomUUID(), "bootstrap-admin", hash(key), ApiRole.ADMIN, List.of(), clock.instant());
  }

  static String hash(String key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
