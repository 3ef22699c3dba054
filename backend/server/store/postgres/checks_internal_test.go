package postgres

import (
	"strings"
	"testing"
)

// TestInsertHeld: a held insert loses its ON CONFLICT DO NOTHING (so that
// a collision is PostgreSQL's refusal), and one without the clause is a
// programming error, not an insert that could store nothing and say
// nothing.
func TestInsertHeld(t *testing.T) {
	got := insertHeld(`INSERT INTO mutations (id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`)
	if got != `INSERT INTO mutations (id, user_id) VALUES ($1, $2)` {
		t.Errorf("insertHeld = %q", got)
	}
	for _, q := range []string{
		`INSERT INTO mutations (id) VALUES (?)`,
		`INSERT INTO mutations (id) VALUES (?) ON CONFLICT (id) DO NOTHING`,
		`INSERT INTO mutations (id) VALUES (?) ON CONFLICT DO NOTHING RETURNING id`,
	} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), "ON CONFLICT DO NOTHING") {
					t.Errorf("insertHeld(%q) did not refuse it (%v)", q, p)
				}
			}()
			insertHeld(q)
		}()
	}
}

// TestUnwrapChecked: only a statement both opened and closed as the
// checked ones are is read as the write it wraps.
func TestUnwrapChecked(t *testing.T) {
	if got := unwrapChecked(countChecked(`UPDATE threads SET x = $1 WHERE id = $2`)); !strings.HasPrefix(got, "UPDATE threads SET") {
		t.Errorf("unwrapChecked(countChecked(...)) = %q", got)
	}
	if got := unwrapChecked(assignSQL); !strings.HasPrefix(got, "UPDATE contacts SET") {
		t.Errorf("unwrapChecked(assignSQL) = %q", got)
	}
	other := `WITH w AS (SELECT 1) UPDATE threads SET x = 1`
	if got := unwrapChecked(other); got != other {
		t.Errorf("unwrapChecked(%q) = %q, want it as it is", other, got)
	}
}
