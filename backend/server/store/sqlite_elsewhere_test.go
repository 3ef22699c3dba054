package store

import (
	"context"
	"testing"
	"time"
)

// TestWrittenElsewhere: the store's own commits and WAL checkpoints are
// not another process's writes; a commit through another connection to
// the file (an organizer command) is, once.
func TestWrittenElsewhere(t *testing.T) {
	ctx := context.Background()
	st, path := walTestStore(t, 1, 1, 1, time.Hour)
	check := func(step string, want bool) {
		t.Helper()
		got, err := st.WrittenElsewhere(ctx)
		if err != nil || got != want {
			t.Fatalf("%s: WrittenElsewhere = %v, %v; want %v", step, got, err, want)
		}
	}
	check("first call", false)
	writeRows(t, st, 0, 5) // past the limits: the checkpointer runs too
	check("after the store's own commits", false)
	if _, err := st.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	check("after a checkpoint", false)

	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	check("after another connection only opened the file", false)
	if _, err := other.write.ExecContext(ctx, `INSERT INTO scratch (id, body) VALUES (1000, x'00')`); err != nil {
		t.Fatal(err)
	}
	check("after another connection committed", true)
	check("asked again", false)
}
