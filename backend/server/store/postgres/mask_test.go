package postgres

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
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
		{"postgres://u@h/db?Pass%77ord=s3c&tail9", "postgres url postgres://u@h/db?Pass%77ord=xxxxx: failed to parse as URL (missing key/value separator \"=\" in URI query parameter)"},
		{"postgres://u:s3ctail9", "postgres url postgres://u:xxxxx: invalid port"},
		{"postgres://u:s3ctail9@db1:1,db2:x/db", "postgres url postgres://u:xxxxx@db1:1,db2:xxxxx/db: invalid port"},
		{"host=h user=u password='s3c tail9", "postgres url host=h user=u password=xxxxx: failed to parse as keyword/value (unterminated quoted string in connection info string)"},
		{"host=h password=s3c tail9 port=1", "postgres url host=h password=xxxxx: failed to parse as keyword/value (missing \"=\" after \"…\" in connection info string)"},
		{"host=h PASSWORD = s3ctail9 port=x", "postgres url host=h PASSWORD = xxxxx: invalid port"},
		// Up to the next setting the driver knows, not past it: the rest says
		// how the server is reached.
		{"postgres://u@h:x/db?password=s3c&tail9&sslmode=verify-full&pool_max_conns=4", "postgres url postgres://u@h:xxxxx/db?password=xxxxx&sslmode=verify-full&pool_max_conns=4: failed to parse as URL (missing key/value separator \"=\" in URI query parameter)"},
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
	for _, u := range []string{"postgres://u:12%2F34@h/db", "postgres://u@h/db?application_name=a@b", "host=h dbname=a@b"} {
		if _, err := ParseURL(u); err != nil {
			t.Errorf("%s: %v, want it read", u, err)
		}
	}
}

// FuzzMaskPassword: whatever a password holds and however the connection
// string is written, no run of 4 of its bytes (as written: raw, URL
// escaped, or quoted) is left in MaskPassword's output, but where the
// string has it anyway outside the password, or it is blank.
func FuzzMaskPassword(f *testing.F) {
	for _, p := range []string{"s3cr@t", "a/b?c#d", "p@ss:w0rd&more=1", "it's q'uoted \\ here", "%zz%40", "sp ace=d", "   =   "} {
		for shape := range shapes {
			f.Add(p, uint8(shape))
		}
	}
	f.Fuzz(func(t *testing.T, p string, shape uint8) {
		s := shapes[int(shape)%len(shapes)]
		written := s.write(p)
		conn := s.before + written + s.after
		got := MaskPassword(conn)
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

// shapes are ways of writing a password into a connection string.
var shapes = []struct {
	before, after string
	write         func(string) string
}{
	{"postgres://tb:", "@db.example.org:5432/tb?sslmode=disable", raw},
	{"postgres://tb:", "@db1:5432,db2:5433/tb", url.PathEscape},
	{"postgresql://tb:", "@[::1]:5432/tb", raw},
	{"postgres://tb:", "@db:abc/tb", raw},
	{"postgres://tb@db/tb?sslmode=disable&password=", "", raw},
	{"postgres://tb@db/tb?password=", "&application_name=x", url.QueryEscape},
	{"postgres://tb@db/tb?sslpassword=", "&sslmode=require", raw},
	{"host=db user=tb password=", " dbname=tb", raw},
	{"host=db user=tb password='", "' dbname=tb", quote},
	{"user=tb PASSWORD = ", "", raw},
}

func raw(p string) string { return p }

// quote writes p as a quoted key=value value.
func quote(p string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(p)
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
