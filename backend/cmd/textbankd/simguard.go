package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/textbank/textbank/backend/server/store"
)

// checkSimOnRealTexts refuses the simulated network (--provider sim, or
// --demo) on a SQLite data directory whose texts went out through Twilio:
// one with texts handed to a provider yet no journal of the simulated
// network, which a server on it with --provider sim would have made at its
// first start. There the simulated network would take over a real
// campaign: the texts still queued or left sending for real contacts would
// be marked sent and delivered without leaving the machine, volunteers'
// new texts too, and its made-up replies (rude ones, STOPs that opt real
// people out) stored as those contacts' own; --demo would also seed its
// campaign into the organizers' database. Copying the Makefile's `serve
// --demo` line, or trying "--provider sim" that a failed text's error
// names, onto /var/lib/textbank is an easy slip. Trying a copy of a real
// database with simulated texts on purpose stays possible: the refusal
// says how. On PostgreSQL --data is each server's own and tells nothing.
func checkSimOnRealTexts(ctx context.Context, dataDir string) error {
	journal := filepath.Join(dataDir, simJournal)
	if _, err := os.Stat(journal); !errors.Is(err, fs.ErrNotExist) {
		return nil // the simulated network served here before (or UseJournal says what is wrong)
	}
	path := filepath.Join(dataDir, store.FileName)
	db, err := sql.Open("sqlite3", path+"?_query_only=on&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var handed bool
	if err := db.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM messages WHERE direction = 'out' AND provider_id IS NOT NULL)`).Scan(&handed); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if !handed {
		return nil
	}
	return fmt.Errorf("the simulated network (--provider sim, or --demo) refuses %s: its texts went out through Twilio "+
		"(texts handed to a provider, and no simulated network's journal %s), and simulated texts there would mark "+
		"real contacts' texts sent without sending them and store made-up replies and STOPs as theirs. "+
		"Serve it with --provider twilio (docs/OPERATIONS.md, section 2). To try a copy of it with simulated texts "+
		"on purpose, make the journal first in the copy's directory: touch %s",
		path, journal, journal)
}
