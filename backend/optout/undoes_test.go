package optout

import (
	"testing"
	"time"
)

// TestUndoes: an admin's undo holds only for the opt-out as they saw it:
// seen at its time, or its renewal's, and not renewed since.
func TestUndoes(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name               string
		seen, out, renewed time.Time
		want               bool
	}{
		{"as filed, never renewed", t0, t0, time.Time{}, true},
		{"as last renewed", t0.Add(time.Hour), t0, t0.Add(time.Hour), true},
		{"renewed since it was seen", t0, t0, t0.Add(time.Hour), false},
		{"a new opt-out since it was seen", t0, t0.Add(time.Minute), time.Time{}, false},
	} {
		if got := Undoes(c.seen, c.out, c.renewed); got != c.want {
			t.Errorf("%s: Undoes = %v, want %v", c.name, got, c.want)
		}
	}
}
