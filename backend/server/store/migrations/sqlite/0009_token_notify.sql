-- +goose Up
-- PostgreSQL's 0009 announces token changes to the servers that share its
-- database; a SQLite file has one server, which changes its tokens itself.
-- Kept so that both dialects number their migrations alike.
SELECT 1;
