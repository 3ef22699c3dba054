-- +goose Up
-- How far into the contact's replies each answer reaches (a reply's own
-- reach, inbox.AnswerCovers held to the thread): when an answer fails at
-- the provider, the thread's answered_through is worked out again from the
-- answers that did not fail. NULL for first texts and for replies stored
-- before: each reaches the replies before it was made.
ALTER TABLE messages ADD COLUMN answers_through TEXT;
