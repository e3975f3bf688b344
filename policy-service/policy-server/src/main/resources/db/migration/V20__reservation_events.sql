-- Every time a reservation's money leaves the budget windows' reserved figure (settled by an outcome, expired
-- because no outcome came) or a late outcome is posted, one row here says how much, so each window's figures can be
-- traced back call by call.
CREATE TABLE reservation_events (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reservation_id         uuid NOT NULL REFERENCES reservations (id),
    kind                   text NOT NULL CHECK (kind IN ('SETTLED', 'EXPIRED', 'LATE_OUTCOME')),
    -- taken off the reserved figure of every window the reservation held money in
    reserved_released_usd  numeric(20, 12) NOT NULL CHECK (reserved_released_usd >= 0),
    -- added to the spent figure of those windows
    spent_posted_usd       numeric(20, 12) NOT NULL CHECK (spent_posted_usd >= 0),
    occurred_at            timestamptz NOT NULL
);
CREATE INDEX reservation_events_reservation_idx ON reservation_events (reservation_id);
