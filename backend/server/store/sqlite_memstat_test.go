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
// allocation in it takes their process-wide mutex. Run in a child process
// of its own: other tests of this binary may have used SQLite first.
func TestSQLiteMemoryStatisticsOff(t *testing.T) {
	if os.Getenv("TEXTBANK_MEMSTAT_CHILD") == "1" {
		st, err := Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if !memstatusOff() {
			t.Fatal("SQLite refused to turn its memory statistics off on its first use")
		}
		if _, err := st.write.Exec(`CREATE TABLE t (x TEXT); INSERT INTO t VALUES (hex(randomblob(4000)))`); err != nil {
			t.Fatal(err)
		}
		if used := sqliteMemoryUsed(); used != 0 {
			t.Fatalf("SQLite counts %d bytes in use: its memory statistics are on", used)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteMemoryStatisticsOff$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TEXTBANK_MEMSTAT_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}

	// SQLite's default, kept by a process that used SQLite before Open,
	// counts: the child's 0 says something. (When an earlier test's Open
	// turned them off in this process, there is nothing to show.)
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "on.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (x TEXT); INSERT INTO t VALUES (hex(randomblob(4000)))`); err != nil {
		t.Fatal(err)
	}
	if memstatusOff() {
		return
	}
	if used := sqliteMemoryUsed(); used == 0 {
		t.Fatal("SQLite, used before Open, counts no memory: the check in the child cannot fail")
	}
}
