-- +goose Up
-- Which SMS provider servers have served this database with ("sim", the
-- simulated network, or "twilio"), and when one first did. On PostgreSQL
-- textbankd serve refuses --provider sim and --demo on a database a
-- Twilio server has sent from: the simulated network would take a share
-- of real contacts' queued texts and store made-up replies as theirs, and
-- the demo would add accounts with its published password. (A SQLite
-- data directory tells it by the simulated network's journal.)
CREATE TABLE providers_served (
    provider TEXT PRIMARY KEY,
    first_at TEXT NOT NULL
);
