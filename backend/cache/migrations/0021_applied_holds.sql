-- +goose Up
-- Changes the server applied whose effect on their thread holds until the
-- server's thread that includes it comes (the next pull): removed from the
-- outbox when applied, kept here with their send order, so a refresh of
-- the thread meanwhile (a report filed just after a reply, say) still
-- lays them over the thread as the server now has it (holds.go).
CREATE TABLE applied_holds (
  seq         INTEGER PRIMARY KEY, -- the outbox row's: effects apply in the order made
  thread_id   TEXT NOT NULL,
  payload     TEXT NOT NULL,       -- api.Mutation
  script_tags INTEGER              -- as the outbox row's
);
CREATE INDEX applied_holds_thread ON applied_holds(thread_id);
