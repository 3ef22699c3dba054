package store

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/script"
)

// The column formats both engines share, defined once: the PostgreSQL
// engine keeps SQLite's schema (times as text, flags as integers), and the
// conformance suite reads each engine's rows against the same values.

// timeLayout is fixed-width UTC text, so text order is time order and
// nanoseconds are kept.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// TimeText is t as stored.
func TimeText(t time.Time) string { return t.UTC().Format(timeLayout) }

// TimeTextOrNil is *t as stored, or NULL.
func TimeTextOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return TimeText(*t)
}

// ParseTimeText reads a stored time.
func ParseTimeText(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// ParseNullTimeText reads a stored time that may be NULL.
func ParseNullTimeText(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := ParseTimeText(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// NullIfEmpty stores "" as NULL.
func NullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// BoolInt stores a flag as 0 or 1.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FingerprintOrNil is a mutation's fingerprint as stored: NULL when there
// is none (not an empty blob), the value an old row has, which matches any
// content.
func FingerprintOrNil(fp []byte) any {
	if len(fp) == 0 {
		return nil
	}
	return fp
}

// StandardColumns are the contact columns ContactsHaveField reads for a
// standard merge field (the others are in the contact's fields), each the
// column of the same name: fixed names, never a caller's text, in SQL.
var StandardColumns = map[string]bool{script.FirstName: true, script.LastName: true, script.Zip: true}
