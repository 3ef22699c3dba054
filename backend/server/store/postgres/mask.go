package postgres

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ParseURL reads a --db URL (or a key=value string) as the pool's
// config. A URL that does not parse is told by its words with every
// password masked (MaskPassword) and the driver's reason without the text
// it quotes: the driver masks a password only where it can tell its
// bounds, and a password it could not was shown in part (an '@' or '/'
// in it, unescaped, ends it early for the driver; "cannot parse
// `postgres://u:xxxxx@t@...`"). The driver's error is not wrapped, for
// its words: only the safe reason is kept.
func ParseURL(url string) (*pgxpool.Config, error) {
	url = NormalizeURL(url)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("postgres url " + MaskPassword(url) + ": " + parseReason(err, url))
	}
	if err := hostsWithoutAt(cfg.ConnConfig); err != nil {
		return nil, err
	}
	if err := pathWithoutAt(url); err != nil {
		return nil, err
	}
	return cfg, nil
}

// mask stands for a password.
const mask = "xxxxx"

// MaskPassword returns conn with every password in it masked, whatever
// its shape, for the log, the textbankd-postgres file, the --db to paste
// and an error to show: a postgres:// URL's user part and its password=
// and sslpassword= parameters, a key=value string's password and
// sslpassword (a key or parameter ending in "password", in any case). A
// string the driver reads is masked exactly where the driver reads the
// password (passwordSpans), all else kept as written; one it cannot read
// is masked as an operator who did not escape a password meant it
// (urlSpansBroad, keywordSpans), which may mask more.
func MaskPassword(conn string) string {
	return maskSpans(conn, passwordSpans(conn))
}

// passwordSpans are the spans of conn that MaskPassword masks.
func passwordSpans(conn string) [][2]int {
	if !IsURL(conn) {
		return keywordSpans(conn)
	}
	start := strings.Index(conn, "://") + len("://")
	return urlSpans(conn[start:], start)
}

// secretName: a key=value key holding a password (password,
// sslpassword, or a misspelt PGPASSWORD the driver would send the server).
func secretName(key string) bool {
	return strings.HasSuffix(strings.ToLower(key), "password")
}

// secretKey: a URL parameter holding a password, as the driver reads its
// key (percent-decoded, blanks around it trimmed), in any case.
func secretKey(raw string) bool {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '%' && i+2 < len(raw) {
			if c, ok := unhex(raw[i+1 : i+3]); ok {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(raw[i])
	}
	return secretName(strings.TrimSpace(b.String()))
}

func unhex(s string) (byte, bool) {
	var c byte
	for i := 0; i < 2; i++ {
		d := s[i]
		switch {
		case '0' <= d && d <= '9':
			d -= '0'
		case 'a' <= d && d <= 'f':
			d -= 'a' - 10
		case 'A' <= d && d <= 'F':
			d -= 'A' - 10
		default:
			return 0, false
		}
		c = c<<4 | d
	}
	return c, true
}

// maskSpans replaces each span [from, to) of s (overlapping ones as one)
// with the mask.
func maskSpans(s string, spans [][2]int) string {
	covered := make([]bool, len(s))
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			covered[i] = true
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if !covered[i] {
			b.WriteByte(s[i])
			continue
		}
		b.WriteString(mask)
		for i+1 < len(s) && covered[i+1] {
			i++
		}
	}
	return b.String()
}

// pathWithoutAt refuses a URL with an '@' after its user part, before
// its parameters: the driver takes the user part to end at the first '@'
// or '/', so a password with a '/' not written %2F
// ("postgres://u:12/34@db/x") is read as host u, port 12 and database
// "34@db/x", and the database (or host) named in every error holds part
// of the password. An '@' in a database name is written %40.
func pathWithoutAt(url string) error {
	if !IsURL(url) {
		return nil
	}
	rest := url[strings.Index(url, "://")+len("://"):]
	if userPartCut(rest) {
		return errAtAfterSlash
	}
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		rest = rest[i+1:]
	}
	rest, _, _ = strings.Cut(rest, "?")
	if strings.Contains(rest, "@") {
		return errAtInHost
	}
	return nil
}

// errAtAfterSlash is pathWithoutAt's refusal of a URL the driver reads
// without a user part, though it has one whose password holds a '/'.
var errAtAfterSlash = errors.New("postgres url: it has an '@' after a '/' and no user part before its host, so a '/' in the password " +
	"(or user) ended it: write a '/' there as %2F, and an '@' as %40 (in a parameter too), or give the password in PGPASSWORD or ~/.pgpass " +
	"(the URL is not shown: it may hold part of the password)")
