//go:build !windows

package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// TestNoMigrationUnderRunningServe: an organizer command (migrate among
// them) of a newer textbankd, run beside the older `serve` still running
// on the same --data, does not migrate the database under that server:
// OPERATIONS.md says to stop it first, and the serve lock shows it runs.
// Without pending migrations the commands work beside it as always.
func TestNoMigrationUnderRunningServe(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", dir); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	release, _, err := lockServe(dir, "the database") // the older serve, running
	if err != nil {
		t.Fatal(err)
	}
	defer func() { release() }()
	if code, _, errOut := runCLI(t, nil, "", "numbers", "list", "--data", dir); code != 0 {
		t.Fatalf("numbers list beside a server, nothing to migrate: %d %s", code, errOut)
	}
	db, err := sql.Open("sqlite3", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var latest int64
	if err := db.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	// The database as the older build left it: the newest migration not
	// recorded (its effect stays: the refusal comes first).
	if _, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = ?`, latest); err != nil {
		t.Fatal(err)
	}
	// The one before it, not latest-1: migration numbers may skip one.
	var before int64
	if err := db.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"migrate"}, {"numbers", "list"}} {
		code, _, errOut := runCLI(t, nil, "", append(cmd, "--data", dir)...)
		if code != 1 || !strings.Contains(errOut, "a textbankd serve is running on "+dir) || !strings.Contains(errOut, "stop the server") {
			t.Errorf("%v beside a running server with a migration to apply: exit %d, %q", cmd, code, errOut)
		}
	}
	var now int64
	if err := db.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&now); err != nil || now != before {
		t.Fatalf("schema version %d (%v) after the refusals, want %d untouched", now, err, before)
	}
	// The server stops: migrate goes ahead (its effect is there already,
	// so record it instead).
	release()
	release = func() {}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)`, latest); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", dir); code != 0 {
		t.Fatalf("migrate with the server stopped: %d %s", code, errOut)
	}
}
