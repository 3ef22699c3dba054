-- +goose Up
-- Fewer index writes per text. A first text wrote about 14 pages to the WAL,
-- most of them leaves of indexes keyed by a random id or phone; each index
-- below is covered by another one, or by nothing that reads it.

-- messages_thread_initial (thread_id, initial, created_at) serves every
-- lookup by thread as well.
DROP INDEX messages_thread;

-- threads_route leads with contact_phone: the 6-hour lock and the opt-out of
-- a number look up the number's few threads there and check the organization
-- on each.
DROP INDEX threads_org_phone;

-- No query reads threads by owner; every new message moved its entry.
DROP INDEX threads_owner;

-- The pool is contacts_pick (partial, state unassigned or released); counts
-- and lists of an action use contacts_action_phone.
DROP INDEX contacts_pool;
