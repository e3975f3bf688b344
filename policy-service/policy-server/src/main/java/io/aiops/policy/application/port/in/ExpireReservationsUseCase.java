package io.aiops.policy.application.port.in;

/** Releases reservations whose decision never reported an outcome before they expired. */
public interface ExpireReservationsUseCase {

    /** Expires the OPEN reservations due at the current time; returns how many were released. */
    int expireDue();
}
