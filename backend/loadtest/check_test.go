package loadtest

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestDanglingRowsAreCounted: danglingSQL finds nothing in a sound
// database and counts each row that points at a user who is not there,
// on both engines (SQLite through a connection that does not check its
// foreign keys; PostgreSQL's hot tables check none since migration 0010).
func TestDanglingRowsAreCounted(t *testing.T) {
	open := map[string]func(t *testing.T) *sql.DB{
		"sqlite": func(t *testing.T) *sql.DB {
			path := filepath.Join(t.TempDir(), "textbank.db")
			st, err := store.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			st.Close()
			db, err := sql.Open("sqlite3", path+"?_foreign_keys=off")
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		"postgres": func(t *testing.T) *sql.DB {
			url := pgtest.URL(t)
			pgtest.OpenURL(t, url) // migrated
			db, err := openPostgres(url)
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
	}
	for engine, opener := range open {
		t.Run(engine, func(t *testing.T) {
			db := opener(t)
			defer db.Close()
			count := func() int {
				t.Helper()
				var n int
				if err := db.QueryRowContext(t.Context(), danglingSQL).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			exec := func(q string) {
				t.Helper()
				if _, err := db.ExecContext(t.Context(), q); err != nil {
					t.Fatal(err)
				}
			}
			exec(`INSERT INTO users (id, name, email, password_hash, created_at) VALUES ('u', 'U', 'u@example.org', 'x', '2026-01-01')`)
			exec(`INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES ('u', 'thread', 't', '2026-01-01')`)
			if n := count(); n != 0 {
				t.Fatalf("a sound database has %d dangling rows", n)
			}
			exec(`INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES ('ghost', 'thread', 't', '2026-01-01')`)
			exec(`INSERT INTO mutations (id, user_id, type, result, created_at) VALUES ('mu', 'ghost', 'x', '{}', '2026-01-01')`)
			if n := count(); n != 2 {
				t.Fatalf("counted %d dangling rows, want 2 (a feed row and a mutation of nobody)", n)
			}
		})
	}
}
