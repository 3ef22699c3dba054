package postgres

import "strings"

// connectError tells a failed connection once per address. With
// sslmode=prefer (pgx's default) pgx tries each address with TLS and then
// without, and a refused dial fails both ways alike, so its error names
// every address twice; the cause is kept whole for errors.Is and As.
type connectError struct{ err error }

func (e connectError) Error() string {
	lines := strings.Split(e.err.Error(), "\n")
	seen := make(map[string]bool, len(lines))
	kept := lines[:0]
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

func (e connectError) Unwrap() error { return e.err }
