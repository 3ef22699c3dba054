-- +goose Up
-- Texts reach phones: the outbound dispatcher's queue, number pools shared
-- by volunteers, picture messages, and indexes that keep every check on the
-- send path a lookup on this number or this contact.

-- The 6-hour initial-text lock looks up this number's threads in the
-- organization (threads_org_phone), then each thread's initial texts here.
-- messages_initial walked every initial text of the window; it goes so the
-- planner cannot choose it.
CREATE INDEX messages_thread_initial ON messages(thread_id, initial, created_at);
DROP INDEX messages_initial;

-- The dispatcher takes queued texts oldest first and, after a crash, finds
-- those left sending; the partial index holds only the unfinished ones.
CREATE INDEX messages_pending ON messages(status, created_at, id) WHERE status IN ('queued', 'sending');

-- Text Again takes the next contacts of an action's pool in list order: an
-- index range, no sort.
CREATE INDEX contacts_pick ON contacts(action_id, created_at, id) WHERE state IN ('unassigned', 'released');

-- A campaign's numbers are shared: each volunteer uses one, and numbers are
-- handed out so that each carries about as many volunteers.
CREATE TABLE number_assignments (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    phone       TEXT NOT NULL REFERENCES sending_numbers(phone),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX number_assignments_phone ON number_assignments(phone);
INSERT INTO number_assignments (campaign_id, user_id, phone, assigned_at)
    SELECT campaign_id, user_id, phone, COALESCE(assigned_at, created_at) FROM sending_numbers WHERE user_id IS NOT NULL;

-- Pictures a contact sent (Twilio MediaUrlN), in order.
CREATE TABLE message_media (
    message_id TEXT NOT NULL REFERENCES messages(id),
    position   INTEGER NOT NULL,
    url        TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);
