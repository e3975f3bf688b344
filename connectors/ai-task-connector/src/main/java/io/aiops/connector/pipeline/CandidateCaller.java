package io.aiops.connector.pipeline;

import io.aiops.providers.CompletionRequest;
import io.aiops.providers.ProviderCallResult;

/**
 * Calls one candidate provider (by the name the policy service uses) and reports every physical request made, so the
 * ledger sees retries as well as failover. Never throws for provider failures: they are in the result.
 */
@FunctionalInterface
public interface CandidateCaller {

    ProviderCallResult call(String provider, CompletionRequest request);
}
