package io.aiops.policy.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.support.MutableClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Expiry releases window rows in the order decisions lock them (model budgets first, then the others, each by id),
 * one release per row, whatever order the expired reservations and their holds come in. A decision and the expiry job
 * therefore never wait for each other's rows in a cycle (a deadlock under load is not reproducible on demand, so this
 * checks the order itself).
 */
class ReservationExpiryLockOrderTest {

    private static final Instant WINDOW = Instant.parse("2026-11-27T00:00:00Z");

    @Test
    void releasesEachWindowOnceInTheGlobalLockOrder() {
        ReservationStore reservations = mock(ReservationStore.class);
        BudgetStore budgets = mock(BudgetStore.class);
        List<String> released = new ArrayList<>();
        doAnswer(call -> {
                    released.add(call.getArgument(0) + " "
                            + call.<BigDecimal>getArgument(2).toPlainString());
                    return BigDecimal.ZERO;
                })
                .when(budgets)
                .settle(any(), any(), any(), any());
        when(reservations.lockExpiredOpen(any(), anyInt()))
                .thenReturn(List.of(
                        reservation(
                                new Hold("b-project", WINDOW, new BigDecimal("0.2")),
                                new Hold("z-model", WINDOW, new BigDecimal("0.1"), "acme", "big")),
                        reservation(
                                new Hold("a-org", WINDOW, new BigDecimal("0.3")),
                                new Hold("b-project", WINDOW, new BigDecimal("0.4"))),
                        reservation(new Hold("c-model", WINDOW, new BigDecimal("0.5"), null, "small"))));
        MutableClock clock = new MutableClock(WINDOW.plusSeconds(3600));

        int expired = new ReservationExpiryService(reservations, budgets, clock).expireDue();

        assertThat(expired).isEqualTo(3);
        assertThat(released).containsExactly("c-model 0.5", "z-model 0.1", "a-org 0.3", "b-project 0.6");
    }

    private static HeldReservation reservation(Hold... holds) {
        BigDecimal amount = List.of(holds).stream().map(Hold::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new HeldReservation(
                UUID.randomUUID(), UUID.randomUUID(), amount, ReservationStore.Status.OPEN, WINDOW, List.of(holds));
    }
}
