package postgres

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// TestParseErrorsMaskThePassword: a --db the driver cannot parse is shown
// with its password masked whole, whatever its shape; the driver's own
// words had "cannot parse `postgres://u:xxxxx@t@...`" (its masking stops
// at the first '@'), and for key=value strings with an unterminated quote
// the password's end.
func TestParseErrorsMaskThePassword(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"postgres://u:s3cr@tail9@127.0.0.1:abc/db", "postgres url postgres://u:xxxxx@127.0.0.1:xxxxx/db: invalid port"},
		{"postgres://u:s3c/tail9@h/db", "postgres url postgres://u:xxxxx@h/db: invalid port"},
		{"postgres://u:s3c%zztail9@h/db", "postgres url postgres://u:xxxxx@h/db: failed to parse as URL (invalid percent-encoded token in password)"},
		{"postgres://u@h/db?sslmode=bogus&password=s3c%zztail9", "postgres url postgres://u@h/db?sslmode=bogus&password=xxxxx: failed to parse as URL (invalid percent-encoded token in password)"},
		{"postgres://u@h/db?Pass%77ord=s3c&tail9", "postgres url postgres://u@h/db?Pass%77ord=xxxxx: failed to parse as URL (missing key/value separator \"=\" in URI query parameter: \"…\")"},
		{"postgres://u:s3ctail9", "postgres url postgres://u:xxxxx: invalid port"},
		{"postgres://u:s3ctail9@db1:1,db2:x/db", "postgres url postgres://u:xxxxx@db1:1,db2:xxxxx/db: invalid port"},
		{"host=h user=u password='s3c tail9", "postgres url host=h user=u password=xxxxx: failed to parse as keyword/value (unterminated quoted string in connection info string)"},
		{"host=h password=s3c tail9 port=1", "postgres url host=h password=xxxxx: failed to parse as keyword/value (missing \"=\" after \"…\" in connection info string)"},
		{"host=h PASSWORD = s3ctail9 port=x", "postgres url host=h PASSWORD = xxxxx port=x: invalid port"},
		// Up to the next setting the driver knows, not past it: the rest says
		// how the server is reached.
		{"postgres://u@h:x/db?password=s3c&tail9&sslmode=verify-full&pool_max_conns=4", "postgres url postgres://u@h:xxxxx/db?password=xxxxx&sslmode=verify-full&pool_max_conns=4: failed to parse as URL (missing key/value separator \"=\" in URI query parameter: \"…\")"},
	} {
		_, err := ParseURL(tc.url)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.url, err, tc.want)
		}
	}
}

// TestPasswordSlashIsRefused: a '/' in a password, not written %2F, ends
// the user part for the driver; with digits before it the URL parses,
// as host u, port 12 and database "34tail9@h/db", which every connection
// error named. It is refused before connecting, without the URL.
func TestPasswordSlashIsRefused(t *testing.T) {
	for _, u := range []string{"postgres://u:12/34tail9@h/db", "postgres://u:12/34tail9@h:5432/db?sslmode=disable"} {
		_, err := ParseURL(u)
		if err == nil || strings.Contains(err.Error(), "tail9") || !strings.Contains(err.Error(), "%2F") {
			t.Errorf("%s: %v, want it refused saying %%2F, without the URL", u, err)
		}
	}
	for _, u := range []string{"postgres://u:12/ab?c=tail9@h/db", "postgres://u:/?c=0tail9@h:5432/db"} {
		_, err := ParseURL(u)
		if err == nil || strings.Contains(err.Error(), "tail9") || !strings.Contains(err.Error(), "%2F") {
			t.Errorf("%s: %v, want it refused saying %%2F, without the URL", u, err)
		}
	}
	for _, u := range []string{"postgres://u:12%2F34@h/db", "postgres://h:5432/db?application_name=a%40b", "postgres://u@h/db?application_name=a@b", "host=h dbname=a@b"} {
		if _, err := ParseURL(u); err != nil {
			t.Errorf("%s: %v, want it read", u, err)
		}
	}
}

// FuzzMaskPassword: whatever a password holds and however the connection
// string is written, (1) no run of 4 of its bytes (as written: raw, URL
// escaped, or quoted) is left in MaskPassword's output, but where the
// string has it anyway outside the password, or it is blank; and (2) of a
// string the driver reads, all but its passwords survives: the masked
// string reads as the same settings (hosts, ports, database, user, every
// other parameter) with the password "xxxxx", and where the driver reads
// the password as written, the output is the string with only it masked,
// all else in order. A raw password the driver reads otherwise (an '&'
// in a parameter's password starts another parameter, a blank in a
// key=value one another setting) is held to (2) alone: the mask shows
// what the driver reads.
func FuzzMaskPassword(f *testing.F) {
	f.Setenv("PGPASSWORD", "")
	f.Setenv("PGPASSFILE", os.DevNull)
	f.Setenv("PGSERVICEFILE", os.DevNull)
	for _, p := range []string{"s3cr@t", "a/b?c#d", "p@ss:w0rd&more=1", "it's q'uoted \\ here", "%zz%40", "sp ace=d", "   =   ", "ab&cdef=1", ""} {
		for shape := range shapes {
			f.Add(p, uint8(shape))
		}
	}
	f.Fuzz(func(t *testing.T, p string, shape uint8) {
		s := shapes[int(shape)%len(shapes)]
		written := s.write(p)
		conn := s.before + written + s.after
		got := MaskPassword(conn)
		if cfg, err := ParseURL(conn); err == nil {
			sameButPassword(t, conn, got, cfg)
			if s.escaped || s.password && cfg.ConnConfig.Password == p {
				want := conn
				if p != "" {
					want = s.before + mask + s.after
				}
				if got != want {
					t.Fatalf("%q masked is %q, want %q", conn, got, want)
				}
			}
			return
		}
		if strings.Contains(s.before, "?") && holdsSetting(written) {
			return // a password parameter ends, for the mask, where a known setting begins (nextSetting)
		}
		// Blanks before a value are the driver's to skip, not the password's: a
		// run made of the key's '=' and such blanks is the string's own.
		lead := len(written) - len(strings.TrimLeft(written, " \t\n\v\f\r"))
		around := s.before + written[:lead] + "\x00" + s.after
		for i := lead; i+4 <= len(written); i++ {
			w := written[i : i+4]
			if strings.Contains(w, "x") || strings.Contains(around, w) || strings.TrimSpace(w) == "" {
				continue // the mask's, the string's own, or blanks (the driver skips those before a value)
			}
			if strings.Contains(got, w) {
				t.Fatalf("%q masked is %q: it holds %q of the password %q", conn, got, w, p)
			}
		}
	})
}

// sameButPassword: got, conn masked, reads as conn's settings, cfg, with
// the password (if any) "xxxxx".
func sameButPassword(t *testing.T, conn, got string, cfg *pgxpool.Config) {
	t.Helper()
	mcfg, err := ParseURL(got)
	if err != nil {
		t.Fatalf("%q masked is %q, which does not read: %v", conn, got, err)
	}
	a, b := cfg.ConnConfig, mcfg.ConnConfig
	params := maps.Clone(a.RuntimeParams)
	for k, v := range params {
		params[k] = masked(k, v)
	}
	if a.Host != b.Host || a.Port != b.Port || a.Database != b.Database || a.User != b.User || b.Password != masked("password", a.Password) ||
		!maps.Equal(params, b.RuntimeParams) || (a.TLSConfig == nil) != (b.TLSConfig == nil) ||
		len(a.Fallbacks) != len(b.Fallbacks) || cfg.MaxConns != mcfg.MaxConns {
		t.Fatalf("%q masked is %q, which reads as other settings:\n%+v\n%+v", conn, got, a.Config, b.Config)
	}
	for i := range a.Fallbacks {
		if a.Fallbacks[i].Host != b.Fallbacks[i].Host || a.Fallbacks[i].Port != b.Fallbacks[i].Port {
			t.Fatalf("%q masked is %q, whose hosts differ", conn, got)
		}
	}
}

// holdsSetting: written has "&key=" for a setting the driver knows.
func holdsSetting(written string) bool {
	for i := 0; i < len(written); i++ {
		if written[i] == '&' {
			if key, _, found := strings.Cut(written[i+1:], "="); found && knownSetting(key) {
				return true
			}
		}
	}
	return false
}

// masked is a setting's value as MaskPassword leaves it: a password
// (a key ending in "password", as secretName says) non-empty is the mask.
func masked(key, value string) string {
	if secretName(key) && value != "" {
		return mask
	}
	return value
}

// shapes are ways of writing a password into a connection string: raw
// (as an operator who did not escape it may write it), or escaped so that
// the driver reads p back; password says the driver's Config.Password
// holds it (not an sslpassword or a parameter it sends the server).
var shapes = []struct {
	before, after     string
	write             func(string) string
	escaped, password bool
}{
	{"postgres://tb:", "@db.example.org:5432/tb?sslmode=disable", raw, false, true},
	{"postgres://tb:", "@db1:5432,db2:5433/tb", url.PathEscape, false, true},
	{"postgresql://tb:", "@[::1]:5432/tb", raw, false, true},
	{"postgres://tb:", "@db:abc/tb", raw, false, true},
	{"postgres://tb@db/tb?sslmode=disable&password=", "", raw, false, true},
	{"postgres://tb@db/tb?password=", "&application_name=x", url.QueryEscape, false, true},
	{"postgres://tb@db/tb?sslpassword=", "&sslmode=require", raw, false, false},
	{"host=db user=tb password=", " dbname=tb", raw, false, true},
	{"host=db user=tb password='", "' dbname=tb", quote, true, true},
	{"user=tb PASSWORD = ", "", raw, false, false},
	{"postgres://tb:", "@db.example.org:5432/tb?application_name=a@b&sslmode=disable", percent, true, true},
	{"postgres://tb@db/tb?password=", "&foo=bar&sslmode=disable", percent, true, true},
	{"postgres://tb@db/tb?application_name=a@b&sslpassword=", "&sslmode=disable", percent, true, false},
	{"host=db user=tb password=", " dbname=tb foo=bar", backslashed, true, true},
}

func raw(p string) string { return p }

// quote writes p as a quoted key=value value.
func quote(p string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(p)
}

// percent writes p as a URL part the driver reads back as p: every byte
// but a letter, digit or -._~ as %XX.
func percent(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// backslashed writes p as an unquoted key=value value: a blank, quote or
// backslash after a backslash; an empty one quoted (the driver would read
// the next setting as the value).
func backslashed(p string) string {
	if p == "" {
		return "''"
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if strings.IndexByte(blanks+`'\`, p[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// TestOpenShowsNoPasswordOfABadURL: Open's own error for a URL it cannot
// parse is ParseURL's.
func TestOpenShowsNoPasswordOfABadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://u:s3cr@tail9@127.0.0.1:abc/db")
	if err == nil || strings.Contains(err.Error(), "tail9") {
		t.Errorf("Open: %v, want no part of the password", err)
	}
}
