-- A redelivered job whose reservation expired (its worker crashed) holds the money again before the call goes ahead,
-- or is denied when the budget has no room left; both are recorded next to the settle and expiry events.
ALTER TABLE reservation_events DROP CONSTRAINT reservation_events_kind_check;
ALTER TABLE reservation_events
    ADD CONSTRAINT reservation_events_kind_check
        CHECK (kind IN ('SETTLED', 'EXPIRED', 'LATE_OUTCOME', 'REHELD', 'REHOLD_DENIED')),
    -- added to the reserved figure of every window the reservation holds money in again
    ADD COLUMN reserved_held_usd numeric(20, 12) NOT NULL DEFAULT 0 CHECK (reserved_held_usd >= 0);
