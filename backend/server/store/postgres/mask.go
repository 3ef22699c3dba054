package postgres

import (
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
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
		return nil, errors.New("postgres url " + MaskPassword(url) + ": " + parseReason(err))
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
// its shape, for an error to show: a postgres:// URL's user part and its
// password= and sslpassword= parameters, a key=value string's password
// and sslpassword. Where a password ends is taken as an operator who did
// not escape it meant, not as the driver reads it, so more may be masked
// than the password: a URL's user part runs to the last '@', a password
// parameter to the next setting the driver knows (nextSetting) or the
// end, and a key=value password to the end.
func MaskPassword(conn string) string {
	if !IsURL(conn) {
		return maskFrom(conn, keywordPassword.FindStringIndex(conn))
	}
	start := strings.Index(conn, "://") + len("://")
	rest := conn[start:]
	var spans [][2]int
	at := strings.LastIndexByte(rest, '@')
	if at >= 0 {
		if c := strings.IndexByte(rest[:at], ':'); c >= 0 {
			spans = append(spans, [2]int{c + 1, at})
		}
	}
	// A port that is no number may be a password the driver read as one
	// (postgres://u:secret, the host left out).
	netloc := rest[at+1:]
	if end := strings.IndexAny(netloc, "/?"); end >= 0 {
		netloc = netloc[:end]
	}
	offset := at + 1
	for _, el := range strings.Split(netloc, ",") {
		port := -1 // where the port starts in el
		if strings.HasPrefix(el, "[") {
			if b := strings.Index(el, "]:"); b >= 0 {
				port = b + 2
			}
		} else if c := strings.IndexByte(el, ':'); c >= 0 {
			port = c + 1
		}
		if port >= 0 && strings.Trim(el[port:], "0123456789") != "" {
			spans = append(spans, [2]int{offset + port, offset + len(el)})
		}
		offset += len(el) + 1
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] != '?' && rest[i] != '&' {
			continue
		}
		key, _, found := strings.Cut(rest[i+1:], "=")
		if found && !strings.ContainsAny(key, "&?") && secretKey(key) {
			from := i + 1 + len(key) + 1
			to := nextSetting(rest, from)
			spans = append(spans, [2]int{from, to})
			i = to - 1
		}
	}
	return conn[:start] + maskSpans(rest, spans)
}

// nextSetting is where a password parameter's value starting at from in a
// URL's rest ends: at an '&' that begins a connection setting the driver
// knows (&sslmode=, &sslrootcert=, &pool_max_conns=, ...; knownSetting),
// else at the end. So the log, the textbankd-postgres file and the --db
// to paste keep how the server is reached (a URL without its sslmode
// connects with prefer, TLS not required), while an unescaped '&' in the
// password, followed by anything else, still masks its rest.
func nextSetting(rest string, from int) int {
	for j := from; j < len(rest); j++ {
		if rest[j] != '&' {
			continue
		}
		if key, _, found := strings.Cut(rest[j+1:], "="); found && knownSetting(key) {
			return j
		}
	}
	return len(rest)
}

// knownSetting: a connection setting of libpq's or the pool's that a URL
// may carry as a parameter, written plainly (lower case, not escaped).
func knownSetting(key string) bool {
	switch key {
	case "host", "hostaddr", "port", "dbname", "database", "user", "passfile", "password", "sslpassword",
		"connect_timeout", "client_encoding", "options", "application_name", "fallback_application_name",
		"keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
		"sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslsni", "sslnegotiation", "gssencmode",
		"channel_binding", "require_auth", "krbsrvname", "krbspn", "service", "servicefile",
		"target_session_attrs", "load_balance_hosts", "search_path", "timezone", "statement_cache_capacity",
		"description_cache_capacity", "default_query_exec_mode", "min_read_buffer_size":
		return true
	}
	return strings.HasPrefix(key, "pool_") && strings.Trim(key[len("pool_"):], "abcdefghijklmnopqrstuvwxyz_") == ""
}

// keywordPassword finds a key=value string's password (or sslpassword)
// up to its value: keys are matched in any case, with or without spaces
// around the '='.
var keywordPassword = regexp.MustCompile(`(?i)password\s*=\s*`)

// maskFrom masks s from the end of the match m to its end: a quote or
// space in the password, unescaped, ends it early for the driver.
func maskFrom(s string, m []int) string {
	if m == nil {
		return s
	}
	return s[:m[1]] + mask
}

// secretKey: a URL parameter holding a password, as the driver reads its
// key (percent-decoded), in any case.
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
	return strings.HasSuffix(strings.ToLower(strings.TrimSpace(b.String())), "password")
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

// parseReason is the driver's reason a connection string does not parse,
// without the string (the driver's own masking misses passwords it cannot
// bound) and without what it quotes of it: a quoted piece but "=" becomes
// "…", and a value after ": " is left out.
func parseReason(err error) string {
	var pe *pgconn.ParseConfigError
	if !errors.As(err, &pe) {
		return "it cannot be read"
	}
	bare := *pe
	bare.ConnString = ""
	reason := strings.TrimPrefix(bare.Error(), "cannot parse ``: ")
	reason = quoted.ReplaceAllStringFunc(reason, func(q string) string {
		if q == `"="` {
			return q
		}
		return `"…"`
	})
	msg, cause, hasCause := strings.Cut(reason, " (")
	msg, _, _ = strings.Cut(msg, ": ")
	if !hasCause {
		return msg
	}
	cause, _, _ = strings.Cut(strings.TrimSuffix(cause, ")"), ": ")
	return msg + " (" + cause + ")"
}

// quoted is a piece of a driver's error in double quotes.
var quoted = regexp.MustCompile(`"[^"]*"`)

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
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		rest = rest[i+1:]
	}
	rest, _, _ = strings.Cut(rest, "?")
	if strings.Contains(rest, "@") {
		return errAtInHost
	}
	return nil
}
