-- +goose Up
-- What an inbound text belonged to when it arrived, kept with it, so that
-- later changes (a Reassign, a sending number taken over by a new campaign)
-- do not rewrite who it was for.

-- The user a reply was routed to: its thread's owner at that moment. The
-- thread's owner_id changes with every Reassign, and export messages named
-- the current owner for every old reply. NULL for outbound texts (sender_id
-- says who sent them). No foreign key, as for messages' other columns since
-- 0010; store.DanglingSQL checks it.
ALTER TABLE messages ADD COLUMN routed_to TEXT;
-- Replies stored before: the owner after the last hand-over made before the
-- reply, else the one who made the first hand-over (the owner before any),
-- else the thread's owner (it was never handed over).
UPDATE messages SET routed_to = COALESCE(
    (SELECT r.to_user_id FROM reassignments r WHERE r.thread_id = messages.thread_id AND r.created_at <= messages.created_at
        ORDER BY r.created_at DESC, r.seq DESC LIMIT 1),
    (SELECT r.from_user_id FROM reassignments r WHERE r.thread_id = messages.thread_id
        ORDER BY r.created_at, r.seq LIMIT 1),
    (SELECT th.owner_id FROM threads th WHERE th.id = messages.thread_id))
WHERE direction = 'in';

-- The campaign whose pool held the number an unroutable text reached, when
-- it arrived. Its admins see it; those of a campaign that takes the number
-- over later do not (the texts were not sent to them).
ALTER TABLE unroutable_messages ADD COLUMN campaign_id TEXT REFERENCES campaigns(id);
-- Texts stored before: number moves were not recorded, so the campaign whose
-- pool has the number now, unless the text is older than that campaign (the
-- number was then another campaign's: the one that last started a
-- conversation from it before the text came; NULL if none did, shown to no
-- campaign's admins, still listed by textbankd unroutable).
UPDATE unroutable_messages SET campaign_id = (
    SELECT CASE WHEN ca.created_at <= unroutable_messages.received_at THEN ca.id ELSE (
        SELECT th.campaign_id FROM threads th
        WHERE th.sending_number = unroutable_messages.to_phone AND th.organization_id = ca.organization_id
            AND th.created_at <= unroutable_messages.received_at
        ORDER BY th.created_at DESC, th.id DESC LIMIT 1) END
    FROM sending_numbers n JOIN campaigns ca ON ca.id = n.campaign_id
    WHERE n.phone = unroutable_messages.to_phone);
CREATE INDEX unroutable_campaign ON unroutable_messages(campaign_id, received_at);

-- The campaign of the conversation a START/UNSTOP was routed to: its admins
-- see it, not every campaign that has the same contact.
ALTER TABLE opt_ins ADD COLUMN campaign_id TEXT REFERENCES campaigns(id);
UPDATE opt_ins SET campaign_id = (SELECT th.campaign_id FROM messages m JOIN threads th ON th.id = m.thread_id
    WHERE m.id = opt_ins.message_id);
CREATE INDEX opt_ins_campaign ON opt_ins(campaign_id, created_at);
