-- +goose Up
-- The tables every text and reply writes (threads, messages, mutations,
-- feed) lose their foreign keys. Each key checked its parent row with a
-- trigger and a row lock per inserted row, nine a first text; with them,
-- PostgreSQL's writer spent about 45 us of a first text's 110 us in the
-- checks (pg_stat_statements under the load test: a thread insert 29 us a
-- row with its five keys, 11 without; a message 23 and 15; a feed row 9
-- and 5), and the load test accepted about a fifth fewer texts a second.
-- The keys guarded nothing textbankd does: it deletes no row of the
-- tables they point at (contacts, actions, campaigns, organizations,
-- users, threads) and changes no key, nor the columns that tie a contact
-- to its action, an action to its campaign and a campaign to its
-- organization; every id it writes here comes from a row read in the same
-- transaction, a read snapshot taken a moment before, or the signed-in
-- user. store.DanglingSQL checks what the keys checked, and more: at the
-- end of every load test, and before every PostgreSQL test database is
-- dropped. SQLite keeps its keys, which cost it an index lookup each.
ALTER TABLE threads
    DROP CONSTRAINT threads_id_fkey,
    DROP CONSTRAINT threads_action_id_fkey,
    DROP CONSTRAINT threads_campaign_id_fkey,
    DROP CONSTRAINT threads_organization_id_fkey,
    DROP CONSTRAINT threads_owner_id_fkey;
ALTER TABLE messages
    DROP CONSTRAINT messages_thread_id_fkey,
    DROP CONSTRAINT messages_sender_id_fkey;
ALTER TABLE mutations DROP CONSTRAINT mutations_user_id_fkey;
ALTER TABLE feed DROP CONSTRAINT feed_user_id_fkey;
