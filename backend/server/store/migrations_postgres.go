package store

import "embed"

// PostgresMigrations is the PostgreSQL schema (package store/postgres applies
// it with goose): the same versions as the SQLite set, so that both engines
// report the same schema version.
//
//go:embed migrations/postgres/*.sql
var PostgresMigrations embed.FS
