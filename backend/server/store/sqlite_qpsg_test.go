package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// TestQPSGOnEveryConnection: the writer and every read connection plan
// their statements once (sqlite_qpsg.go); without the guarantee,
// go-sqlite3's rebinding made SQLite parse many hot statements on every
// run.
func TestQPSGOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "qpsg.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for name, db := range map[string]*sql.DB{"writer": st.write, "reader": st.read} {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = conn.Raw(func(dc any) error {
			on, err := qpsgEnabled(dc.(*sqlite3.SQLiteConn))
			if err != nil {
				return err
			}
			if !on {
				t.Errorf("%s connection: query planner stability guarantee is off", name)
			}
			return nil
		})
		conn.Close()
		if err != nil {
			t.Fatalf("%s connection: %v", name, err)
		}
	}
}
