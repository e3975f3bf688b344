package io.aiops.providers;

/**
 * Speaks one provider wire format. Implementations are stateless and thread-safe; resilience (retry, circuit breaker,
 * rate limits) wraps them from outside.
 */
public interface ProviderAdapter {

    /** The wire format this adapter speaks, e.g. {@code openai}. */
    String format();

    /**
     * Sends one completion request.
     *
     * @throws ProviderCallException classified by {@link ErrorClass}, never a raw I/O or parse exception
     */
    CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request);
}
