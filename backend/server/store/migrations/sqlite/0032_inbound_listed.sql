-- +goose Up
-- How far the inbound catch-up (docs/OPERATIONS.md, section 3) has
-- listed the provider's received texts: every text the provider received
-- before listed_to (by the listing server's clock) is stored. Each round
-- that listed every number moves it to the time the round began; the next
-- round, at a start or while serving, lists from there (less a margin for
-- clock skew). One row; written once a round, never on a request's path.
CREATE TABLE inbound_listed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    listed_to TEXT NOT NULL
);
