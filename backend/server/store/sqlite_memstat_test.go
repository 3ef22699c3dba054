package store

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSQLiteMemoryStatisticsOff: in a process whose first use of SQLite is
// Open (textbankd's case), SQLite keeps no memory statistics, so no
// allocation in it takes their process-wide mutex. In a process that used
// SQLite before Open, SQLite refuses the setting and counts as before: the
// first check can fail. Each case runs in a child process of its own,
// since other tests of this binary use SQLite first.
func TestSQLiteMemoryStatisticsOff(t *testing.T) {
	switch os.Getenv("TEXTBANK_MEMSTAT_CHILD") {
	case "open-first":
		st := openForMemstat(t)
		defer st.Close()
		if !memstatusOff() {
			t.Fatal("SQLite refused to turn its memory statistics off on its first use")
		}
		if used := sqliteMemoryUsed(); used != 0 {
			t.Fatalf("SQLite counts %d bytes in use: its memory statistics are on", used)
		}
		return
	case "used-before":
		db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "before.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE t (x TEXT)`); err != nil {
			t.Fatal(err)
		}
		st := openForMemstat(t)
		defer st.Close()
		if memstatusOff() {
			t.Fatal("SQLite took the setting after its first use")
		}
		if used := sqliteMemoryUsed(); used == 0 {
			t.Fatal("SQLite, used before Open, counts no memory: the check of the first case cannot fail")
		}
		return
	}
	for _, child := range []string{"open-first", "used-before"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteMemoryStatisticsOff$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TEXTBANK_MEMSTAT_CHILD="+child)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", child, err, out)
		}
	}
}

// openForMemstat opens a store and makes SQLite allocate.
func openForMemstat(t *testing.T) *SQLite {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.write.Exec(`CREATE TABLE big (x TEXT); INSERT INTO big VALUES (hex(randomblob(4000)))`); err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st
}
