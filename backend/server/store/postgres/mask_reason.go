package postgres

import (
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// parseReason is the driver's reason conn does not parse, without conn
// (the driver's own masking misses passwords it cannot bound) and
// without any of its passwords: what the reason quotes ("tail9") or
// names after a ": " (unknown target_session_attrs value: any) is kept
// when it is no part of a password MaskPassword masks, and is "…" when
// it is, so the operator reads which parameter or value was wrong. Should
// a password's text still be in it, only the reason's first words are.
func parseReason(err error, conn string) string {
	var pe *pgconn.ParseConfigError
	if !errors.As(err, &pe) {
		return "it cannot be read"
	}
	bare := *pe
	bare.ConnString = ""
	full := strings.TrimPrefix(bare.Error(), "cannot parse ``: ")
	spans := passwordSpans(conn)
	secret := func(piece string) bool { return overlapsSpan(conn, piece, spans) }
	reason := quoted.ReplaceAllStringFunc(full, func(q string) string {
		if q != `"="` && secret(q[1:len(q)-1]) {
			return `"…"`
		}
		return q
	})
	reason = afterColon.ReplaceAllStringFunc(reason, func(m string) string {
		if secret(strings.TrimPrefix(m, ": ")) {
			return ": …"
		}
		return m
	})
	for _, sp := range spans {
		if holdsRun(reason, conn[sp[0]:sp[1]]) {
			msg, _, _ := strings.Cut(full, ": ")
			msg, _, _ = strings.Cut(msg, " (")
			return msg
		}
	}
	return reason
}

// quoted is a piece of a driver's error in double quotes.
var quoted = regexp.MustCompile(`"[^"]*"`)

// afterColon is what a driver's error names after a ": ", up to the next
// ": ", quote or the closing parenthesis.
var afterColon = regexp.MustCompile(`: [^":()]+`)

// overlapsSpan: piece is written in conn where it overlaps one of spans
// (a password), or is one that the driver decoded from it.
func overlapsSpan(conn, piece string, spans [][2]int) bool {
	if piece == "" || piece == "…" {
		return false
	}
	for off := 0; off < len(conn); {
		i := strings.Index(conn[off:], piece)
		if i < 0 {
			break
		}
		a, b := off+i, off+i+len(piece)
		for _, sp := range spans {
			if a < sp[1] && sp[0] < b {
				return true
			}
		}
		off = a + 1
	}
	for _, sp := range spans {
		if holdsRun(piece, conn[sp[0]:sp[1]]) {
			return true
		}
	}
	return false
}

// holdsRun: s holds secret whole, or a run of 4 of its bytes.
func holdsRun(s, secret string) bool {
	if secret != "" && strings.Contains(s, secret) {
		return true
	}
	for i := 0; i+4 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+4]) {
			return true
		}
	}
	return false
}
