// Package schema applies a program's embedded SQL migrations to its
// database with goose (github.com/pressly/goose/v3): the desktop cache and
// the server store (SQLite and PostgreSQL) all evolve their schema this one
// way. What goose does not do for us lives here: adopting databases made by
// the runner Textbank had before goose, and telling a database newer than
// the program apart from one it can upgrade.
//
// A migration file is goose's: NNNN_what.sql, version NNNN, starting with
// "-- +goose Up"; statements end with ";" at the end of a line; a statement
// with semicolons inside (a trigger) sits between "-- +goose StatementBegin"
// and "-- +goose StatementEnd". Each file runs in one transaction.
package schema

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// ErrTooNew is returned when the database has migrations newer than the
// program knows: it was written by a newer version, and this one could
// corrupt it.
var ErrTooNew = errors.New("database schema is newer than this program")

// Set is one program's migrations for one dialect.
type Set struct {
	// Dialect is goose.DialectSQLite3 or goose.DialectPostgres.
	Dialect goose.Dialect
	// FS holds the NNNN_*.sql files at its root (fs.Sub of an embed.FS).
	FS fs.FS
	// Options are extra goose options, such as a session locker so that
	// several servers starting at once migrate one at a time.
	Options []goose.ProviderOption
}

// Version is where a database stands.
type Version struct {
	Current int64 // the newest migration applied to the database
	Latest  int64 // the newest migration the program knows
}

// TooNew reports whether the database is ahead of the program.
func (v Version) TooNew() bool { return v.Current > v.Latest }

// Check returns ErrTooNew, in words, when the database is ahead.
func (v Version) Check() error {
	if v.TooNew() {
		return fmt.Errorf("%w: the database is at migration %d, this program knows migrations up to %d; run the newer program (or restore a backup made for this one)",
			ErrTooNew, v.Current, v.Latest)
	}
	return nil
}

// Status reports the database's version without applying anything (it
// does adopt a database made by the old runner, which changes no schema).
func Status(ctx context.Context, db *sql.DB, s Set) (Version, error) {
	p, err := provider(ctx, db, s)
	if err != nil {
		return Version{}, err
	}
	cur, latest, err := p.GetVersions(ctx)
	if err != nil {
		return Version{}, fmt.Errorf("read schema version: %w", err)
	}
	return Version{Current: cur, Latest: latest}, nil
}

// Up applies every migration the database lacks, each in its own
// transaction, and returns the version reached. A failing migration is
// rolled back whole and named in the error; the ones before it stay.
// Migrations are applied by version even when an older one arrives after a
// newer one was applied (branches merged in any order), as the runner
// before goose did. With refuseNewer, a database ahead of the program is
// left alone and ErrTooNew returned.
func Up(ctx context.Context, db *sql.DB, s Set, refuseNewer bool) (Version, error) {
	p, err := provider(ctx, db, s)
	if err != nil {
		return Version{}, err
	}
	if refuseNewer {
		cur, latest, err := p.GetVersions(ctx)
		if err != nil {
			return Version{}, fmt.Errorf("read schema version: %w", err)
		}
		if v := (Version{Current: cur, Latest: latest}); v.TooNew() {
			return v, v.Check()
		}
	}
	if _, err := p.Up(ctx); err != nil {
		var pe *goose.PartialError
		if errors.As(err, &pe) && pe.Failed != nil && pe.Failed.Source != nil {
			return Version{}, fmt.Errorf("apply migration %s: %w", pe.Failed.Source.Path, pe.Err)
		}
		return Version{}, fmt.Errorf("apply migrations: %w", err)
	}
	cur, latest, err := p.GetVersions(ctx)
	if err != nil {
		return Version{}, fmt.Errorf("read schema version: %w", err)
	}
	return Version{Current: cur, Latest: latest}, nil
}

func provider(ctx context.Context, db *sql.DB, s Set) (*goose.Provider, error) {
	if s.Dialect == goose.DialectSQLite3 {
		if err := adoptLegacy(ctx, db); err != nil {
			return nil, err
		}
	}
	opts := append([]goose.ProviderOption{
		goose.WithAllowOutofOrder(true),
		// Only the files given; nothing registered in goose's globals.
		goose.WithDisableGlobalRegistry(true),
	}, s.Options...)
	p, err := goose.NewProvider(s.Dialect, db, s.FS, opts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}
