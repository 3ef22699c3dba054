package loadtest

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestDanglingRowsAreCounted: store.DanglingSQL finds nothing in a sound
// database (a thread reassigned to an admin, an outbound text from its
// first owner, a reply with no sender) and counts each row that points at
// nothing, or a thread whose campaign is not its action's, once, on both
// engines (SQLite through a connection that does not check its foreign
// keys; PostgreSQL's hot tables check none since migration 0010).
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
				if err := db.QueryRowContext(t.Context(), store.DanglingSQL).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			exec := func(q string) {
				t.Helper()
				if _, err := db.ExecContext(t.Context(), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			for _, q := range soundRows {
				exec(q)
			}
			if n := count(); n != 0 {
				t.Fatalf("a sound database has %d dangling rows", n)
			}
			for i, bad := range danglingRows {
				exec(bad)
				if n := count(); n != i+1 {
					t.Fatalf("after %q: %d dangling rows, want %d", bad, n, i+1)
				}
			}
			// pgtest checks every PostgreSQL test database for such rows
			// when the test ends: this one made them on purpose.
			for _, q := range []string{`DELETE FROM feed`, `DELETE FROM mutations`, `DELETE FROM messages`, `DELETE FROM threads`} {
				exec(q)
			}
		})
	}
}

const day = "2026-01-01T00:00:00.000000000Z"

// soundRows: two campaigns of one organization, each with an action and a
// contact; a thread of the first, reassigned to its admin, with a text
// from its first owner and a reply (no sender).
var soundRows = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', '` + day + `')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES ('u', 'U', 'u@example.org', 'x', '` + day + `')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES ('admin', 'A', 'a@example.org', 'x', '` + day + `')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES ('c1', 'o', 'C1', '111111', 1, '` + day + `')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES ('c2', 'o', 'C2', '222222', 1, '` + day + `')`,
	`INSERT INTO actions (id, campaign_id, type, title, allow_free_text, creator_id, created_at) VALUES ('a1', 'c1', 'p2p', 'A1', 1, 'admin', '` + day + `')`,
	`INSERT INTO actions (id, campaign_id, type, title, allow_free_text, creator_id, created_at) VALUES ('a2', 'c2', 'p2p', 'A2', 1, 'admin', '` + day + `')`,
	`INSERT INTO contacts (id, action_id, phone, created_at) VALUES ('k1', 'a1', '+12125550101', '` + day + `')`,
	`INSERT INTO contacts (id, action_id, phone, created_at) VALUES ('k2', 'a2', '+12125550102', '` + day + `')`,
	`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number, last_message_at, created_at)
		VALUES ('k1', 'a1', 'c1', 'o', 'admin', '+12125550101', '+12025550100', '` + day + `', '` + day + `')`,
	`INSERT INTO messages (id, thread_id, direction, body, status, sender_id, created_at) VALUES ('m1', 'k1', 'out', 'hi', 'sent', 'u', '` + day + `')`,
	`INSERT INTO messages (id, thread_id, direction, body, status, created_at) VALUES ('r1', 'k1', 'in', 'hello', 'received', '` + day + `')`,
	`INSERT INTO mutations (id, user_id, type, result, created_at) VALUES ('mu1', 'u', 'sendInitial', '{}', '` + day + `')`,
	`INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES ('admin', 'thread', 'k1', '` + day + `')`,
}

// danglingRows each add one row that points at nothing, or disagrees.
var danglingRows = []string{
	// The second contact's thread, filed under the first campaign.
	`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number, last_message_at, created_at)
		VALUES ('k2', 'a2', 'c1', 'o', 'u', '+12125550102', '+12025550100', '` + day + `', '` + day + `')`,
	// A thread with no contact.
	`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number, last_message_at, created_at)
		VALUES ('k9', 'a1', 'c1', 'o', 'u', '+12125550109', '+12025550100', '` + day + `', '` + day + `')`,
	`INSERT INTO messages (id, thread_id, direction, body, status, created_at) VALUES ('m9', 'nothread', 'in', 'x', 'received', '` + day + `')`,
	`INSERT INTO messages (id, thread_id, direction, body, status, sender_id, created_at) VALUES ('m8', 'k1', 'out', 'x', 'sent', 'ghost', '` + day + `')`,
	`INSERT INTO mutations (id, user_id, type, result, created_at) VALUES ('mu9', 'ghost', 'x', '{}', '` + day + `')`,
	`INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES ('ghost', 'thread', 't', '` + day + `')`,
}
