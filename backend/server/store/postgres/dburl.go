package postgres

import "strings"

// The schemes of a PostgreSQL URL, as pgx spells them.
var schemes = []string{"postgres://", "postgresql://"}

// IsURL reports whether db names a PostgreSQL database: a postgres:// or
// postgresql:// URL, its scheme in any case (URL schemes are
// case-insensitive, RFC 3986 3.1: an operator may well write Postgres://).
func IsURL(db string) bool {
	for _, s := range schemes {
		if len(db) >= len(s) && strings.EqualFold(db[:len(s)], s) {
			return true
		}
	}
	return false
}

// NormalizeURL lower-cases the scheme of a PostgreSQL URL and leaves
// anything else as it is. pgx tells a URL from a "key=value" string by
// its lower-case prefix alone: given Postgres://..., it would read the
// URL as key=value pairs and fail to parse it.
func NormalizeURL(db string) string {
	for _, s := range schemes {
		if len(db) >= len(s) && strings.EqualFold(db[:len(s)], s) {
			return s + db[len(s):]
		}
	}
	return db
}
