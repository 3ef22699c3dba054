package postgres

import "strings"

// urlSpans are the spans of rest (a postgres:// URL after its "://",
// which starts at offset in the whole string) that hold a password, read
// as the driver reads the URL (pgconn's parseURLSettings, libpq's rules):
// the user part ends at the first '@' before any '/', its password after
// its first ':'; hosts and ports end at ':', '/', '?' or ','; the
// database at '?'; a parameter at the next '&', its value after its one
// '='. Where the driver cannot read rest, or reads it in a way that may
// have cut a password short, urlSpansBroad's are added.
func urlSpans(rest string, offset int) [][2]int {
	spans, exact := urlSpansExact(rest)
	if !exact {
		spans = append(spans, urlSpansBroad(rest)...)
	}
	for i := range spans {
		spans[i][0] += offset
		spans[i][1] += offset
	}
	return spans
}

// urlSpansExact is urlSpans as the driver reads rest; ok is false where
// it cannot, or where an '@' lies outside the user part and the query
// (the user part then ended early: a '@' or '/' in the password, not
// escaped; ParseURL refuses those), or a port is no number (a password
// the driver read as the port: postgres://u:secret, no host).
func urlSpansExact(rest string) (spans [][2]int, ok bool) {
	if strings.IndexByte(rest, 0) >= 0 {
		return spans, false
	}
	p := 0
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		user, password, hasPassword := strings.Cut(rest[:i], ":")
		if hasPassword && strings.Trim(password, " ") != "" { // the driver trims blanks around it
			spans = append(spans, [2]int{len(user) + 1, i})
			if !uriDecodes(password) {
				return spans, false
			}
		}
		if !uriDecodes(user) {
			return spans, false
		}
		p = i + 1
	} else if userPartCut(rest) {
		return spans, false
	}
	var hosts, ports strings.Builder
	for {
		if p < len(rest) && rest[p] == '[' {
			end := strings.IndexByte(rest[p:], ']')
			if end <= 1 {
				return spans, false
			}
			hosts.WriteString(rest[p+1 : p+end])
			p += end + 1
			if p < len(rest) && !strings.ContainsRune(":/?,", rune(rest[p])) {
				return spans, false
			}
		} else {
			p += copyUntil(&hosts, rest[p:], ":/?,")
		}
		if p < len(rest) && rest[p] == ':' {
			p++
			p += copyUntil(&ports, rest[p:], "/?,")
		}
		if p >= len(rest) || rest[p] != ',' {
			break
		}
		p++
		hosts.WriteByte(',')
		ports.WriteByte(',')
	}
	if strings.Contains(hosts.String(), "@") || !uriDecodes(hosts.String()) || !numbers(ports.String()) {
		return spans, false
	}
	if p < len(rest) && rest[p] == '/' {
		p++
		db, _, _ := strings.Cut(rest[p:], "?")
		if strings.Contains(db, "@") || !uriDecodes(db) {
			return spans, false
		}
		p += len(db)
	}
	if p >= len(rest) {
		return spans, true
	}
	// rest[p] is '?': host, port and database end only there or at the end.
	for p++; p < len(rest); p++ { // a pair, then its '&' (none after the last)
		pair, _, _ := strings.Cut(rest[p:], "&")
		key, value, found := strings.Cut(pair, "=")
		if !found || strings.Contains(value, "=") || !uriDecodes(key) || !uriDecodes(value) {
			if found && secretKey(key) {
				spans = append(spans, [2]int{p + len(key) + 1, p + len(pair)})
			}
			return spans, false
		}
		if secretKey(key) && strings.Trim(value, " ") != "" {
			spans = append(spans, [2]int{p + len(key) + 1, p + len(pair)})
		}
		p += len(pair)
	}
	return spans, true
}

// userPartCut: the driver sees no user part in rest (a '/' comes before
// any '@'), yet a ':' comes before that '/' and an '@' after it: that
// reads as a user and a password holding a '/', not escaped, which the
// driver reads as a host and port ("postgres://tb:12/ab?c=d@db/tb" is
// host tb, port 12, database ab and a parameter c). ParseURL refuses it.
func userPartCut(rest string) bool {
	i := strings.IndexAny(rest, "@/")
	return i >= 0 && rest[i] == '/' && strings.Contains(rest[:i], ":") && strings.Contains(rest[i:], "@")
}

// copyUntil writes s up to the first of stops (or all of it) to b and
// says how much it wrote.
func copyUntil(b *strings.Builder, s, stops string) int {
	i := strings.IndexAny(s, stops)
	if i < 0 {
		i = len(s)
	}
	b.WriteString(s[:i])
	return i
}

// numbers: a comma-separated list of ports, each a number or empty, as
// the driver decodes it (spaces around the list trimmed, %xx decoded).
func numbers(list string) bool {
	decoded, ok := uriDecode(list)
	return ok && strings.Trim(decoded, "0123456789,") == ""
}

// uriDecodes: the driver decodes s (libpq's conninfo_uri_decode): every
// '%' followed by two hex digits, not %00, and no space but around it.
func uriDecodes(s string) bool {
	_, ok := uriDecode(s)
	return ok
}

func uriDecode(s string) (string, bool) {
	s = strings.Trim(s, " ")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			return "", false
		case '%':
			if i+2 >= len(s) {
				return "", false
			}
			c, ok := unhex(s[i+1 : i+3])
			if !ok || c == 0 {
				return "", false
			}
			b.WriteByte(c)
			i += 2
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), true
}

// urlSpansBroad are the spans of a URL the driver cannot read, or may
// have read with a password cut short, taking where a password ends as
// an operator who did not escape it meant: the user part runs to the
// last '@', a port that is no number may be a password (postgres://u:secret,
// the host left out), and a password parameter runs to the next setting
// the driver knows (nextSetting) or the end. More than the password may
// be masked; the driver's reason (parseReason) says what was wrong.
func urlSpansBroad(rest string) [][2]int {
	var spans [][2]int
	at := strings.LastIndexByte(rest, '@')
	if at >= 0 {
		if c := strings.IndexByte(rest[:at], ':'); c >= 0 {
			spans = append(spans, [2]int{c + 1, at})
		}
	}
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
	return spans
}

// nextSetting is where a password parameter's value starting at from in
// a URL the driver cannot read ends: at an '&' that begins a connection
// setting the driver knows (&sslmode=, &sslrootcert=, &pool_max_conns=,
// ...; knownSetting), else at the end. So the error keeps how the server
// is reached, while an unescaped '&' in the password, followed by
// anything else, still masks its rest.
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
