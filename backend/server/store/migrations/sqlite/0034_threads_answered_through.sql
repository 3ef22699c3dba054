-- +goose Up
-- How far into the contact's replies the owner's answers reach: the
-- newest reply the app held when the latest answer was written (the
-- reply's at). A reply after it has no answer, even though the answer
-- reached the server after it (written offline before it came). Until now
-- an answer reached every reply before the server took it: threads keep
-- that (NULL, inbox.Answered judges by the answer's time alone).
ALTER TABLE threads ADD COLUMN answered_through TEXT;
