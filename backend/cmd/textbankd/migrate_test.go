package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func TestMigrate(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, nil, "", "migrate", "--data", dir)
	if code != 0 || !strings.Contains(out, "schema version ") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, map[string]string{"TEXTBANK_DATA": dir, "TEXTBANK_JSON": "1"}, "", "migrate")
	var res MigrateResult
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Version < 3 || res.Version != res.Latest {
		t.Fatalf("migrate --json (from the environment): %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, nil, "", "migrate", "--data", filepath.Join(dir, "typo"))
	if code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("migrate of a missing directory: %d %q", code, errOut)
	}
}

// TestNewerDatabaseIsRefused: a database a newer textbankd migrated stops
// migrate and serve with a clear error, and serve never listens; serve
// exits exitRefused, a restart being no use.
func TestNewerDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", dir); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	db, err := sql.Open("sqlite3", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, _, errOut := runCLI(t, nil, "", "migrate", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "newer than this program") || !strings.Contains(errOut, "migration 9999") {
		t.Fatalf("migrate of a newer database: %d %q", code, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var sOut, sErr strings.Builder
	code = run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, &sOut, &sErr, envOf(nil))
	// A restart cannot fix it: serve exits exitRefused, which the
	// systemd unit does not restart.
	if code != exitRefused || !strings.Contains(sErr.String(), "newer than this program") || strings.Contains(sErr.String(), "textbankd serving") {
		t.Fatalf("serve on a newer database: exit %d, log %q", code, sErr.String())
	}
	if ctx.Err() != nil {
		t.Fatal("serve did not stop by itself")
	}
}

// TestServeDoesNotLinkTheDemoServer: production textbankd builds its
// server with server.Run and seeds --demo from democampaign; the embeddable
// demo server (the desktop app's) is not part of it.
func TestServeDoesNotLinkTheDemoServer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	has := func(pkg string) bool {
		for _, d := range deps {
			if d == pkg {
				return true
			}
		}
		return false
	}
	const mod = "github.com/textbank/textbank/backend/"
	if has(mod + "server/demo") {
		t.Fatal("textbankd depends on backend/server/demo")
	}
	// The check can fail: the list holds what textbankd does use.
	for _, want := range []string{mod + "server", mod + "server/democampaign", mod + "server/store"} {
		if !has(want) {
			t.Fatalf("go list -deps lacks %s: the check looks at the wrong list", want)
		}
	}
}
