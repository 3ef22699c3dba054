package postgres

import "testing"

// TestMaskPasswordIsExact: a connection string the driver reads keeps
// all but its passwords as written, whatever their shape. Before, a
// password parameter masked an unknown setting after it (&foo=bar), a
// key=value password masked the rest of the string, and an '@' in a
// parameter masked the host and database with the user part's password.
func TestMaskPasswordIsExact(t *testing.T) {
	for _, tc := range []struct{ conn, want string }{
		{"postgres://tb:s3cret@db.example.org:5432/tb?sslmode=verify-full", "postgres://tb:xxxxx@db.example.org:5432/tb?sslmode=verify-full"},
		{"postgres://tb:s3cret@db/tb?application_name=a@b&sslmode=require", "postgres://tb:xxxxx@db/tb?application_name=a@b&sslmode=require"},
		{"postgres://tb:p%40ss%2Fw?rd@db1:5432,[::1]:5433/tb", "postgres://tb:xxxxx@db1:5432,[::1]:5433/tb"},
		{"postgres://tb@db/tb?password=s3c&foo=bar&application_name=x", "postgres://tb@db/tb?password=xxxxx&foo=bar&application_name=x"},
		{"postgres://tb@db/tb?foo=bar&Pass%77ord=s%26c&sslpassword=k3y&sslmode=require", "postgres://tb@db/tb?foo=bar&Pass%77ord=xxxxx&sslpassword=xxxxx&sslmode=require"},
		{"postgres://tb:@db/tb?password=&sslmode=disable", "postgres://tb:@db/tb?password=&sslmode=disable"},
		{"postgres://tb: @db/tb?password=  &sslmode=disable", "postgres://tb: @db/tb?password=  &sslmode=disable"},
		{"postgres://tb:s3c@db/tb?password=t4il&application_name=a%40b", "postgres://tb:xxxxx@db/tb?password=xxxxx&application_name=a%40b"},
		{"host=db password=s3cret dbname=tb sslmode=verify-full", "host=db password=xxxxx dbname=tb sslmode=verify-full"},
		{"host=db password='s3c ret' dbname=tb", "host=db password='xxxxx' dbname=tb"},
		{`host=db password='it\'s \\ q' dbname=tb`, "host=db password='xxxxx' dbname=tb"},
		{`host=db password=sp\ ace\'s dbname=tb`, "host=db password=xxxxx dbname=tb"},
		{"host=db\tpassword =\n s3c\tdbname=tb", "host=db\tpassword =\n xxxxx\tdbname=tb"},
		{"host=db sslpassword=k3y application_name='password=no' dbname=tb", "host=db sslpassword=xxxxx application_name='password=no' dbname=tb"},
		{"host=db password='' dbname=tb", "host=db password='' dbname=tb"},
		{`host=db password=\`, `host=db password=\`},
		{"user=tb password=s3c", "user=tb password=xxxxx"},
		// Read by the driver as a password and a setting: what it reads is
		// what is shown (libpq reads the same).
		{"host=db password= dbname=tb", "host=db password= xxxxx"},
	} {
		if got := MaskPassword(tc.conn); got != tc.want {
			t.Errorf("MaskPassword(%q)\n got %q\nwant %q", tc.conn, got, tc.want)
		}
		if _, err := ParseURL(tc.conn); err != nil {
			t.Errorf("%q: %v, want it read (a case of a string the driver reads)", tc.conn, err)
		}
	}
}

// TestMaskPasswordOfAnUnreadableString: a string the driver cannot read,
// or reads with a password cut short, is masked as the operator meant it
// (to the last '@' of a user part, a password parameter to the next
// setting the driver knows, a key=value password to the end).
func TestMaskPasswordOfAnUnreadableString(t *testing.T) {
	for _, tc := range []struct{ conn, want string }{
		{"postgres://tb:p@ss@db/tb?application_name=x", "postgres://tb:xxxxx@db/tb?application_name=x"},
		{"postgres://tb:12/ab?c=d@db/tb", "postgres://tb:xxxxx@db/tb"},
		{"postgres://tb@db:x/tb?password=s3c&foo=bar&sslmode=require", "postgres://tb@db:xxxxx/tb?password=xxxxx&sslmode=require"},
		{"postgres://tb@db/tb?password=s3c&tail9", "postgres://tb@db/tb?password=xxxxx"},
		{"host=db password='s3c dbname=tb", "host=db password=xxxxx"},
		{"host=db password=s3c tail9 dbname=tb", "host=db password=xxxxx"},
	} {
		if got := MaskPassword(tc.conn); got != tc.want {
			t.Errorf("MaskPassword(%q)\n got %q\nwant %q", tc.conn, got, tc.want)
		}
	}
}

// TestParseReasonNamesWhatWasWrong: the driver's reason for a --db it
// cannot read names the parameter or value it quotes, unless that is
// part of a password. Before, all after a ": " was cut: "invalid
// connect_timeout (strconv.ParseInt)", "missing key/value separator "="
// in URI query parameter" without which one.
func TestParseReasonNamesWhatWasWrong(t *testing.T) {
	for _, tc := range []struct{ conn, want string }{
		{"postgres://tb:s3c@db/tb?sslmode=require&appname", `postgres url postgres://tb:xxxxx@db/tb?sslmode=require&appname: failed to parse as URL (missing key/value separator "=" in URI query parameter: "appname")`},
		{"postgres://tb:s3c@db/tb?connect_timeout=soon", `postgres url postgres://tb:xxxxx@db/tb?connect_timeout=soon: invalid connect_timeout (strconv.ParseInt: parsing "soon": invalid syntax)`},
		{"postgres://tb:s3c@db/tb?target_session_attrs=any-old", `postgres url postgres://tb:xxxxx@db/tb?target_session_attrs=any-old: unknown target_session_attrs value: any-old`},
		{"postgres://tb:s3c@d b/tb", `postgres url postgres://tb:xxxxx@d b/tb: failed to parse as URL (unexpected spaces found in "d b", use percent-encoded spaces (%20) instead)`},
		{"host=db password=s3c tail9 port=1", `postgres url host=db password=xxxxx: failed to parse as keyword/value (missing "=" after "…" in connection info string)`},
		{"postgres://tb@db/tb?password=s3c&tail9&sslmode=require", `postgres url postgres://tb@db/tb?password=xxxxx&sslmode=require: failed to parse as URL (missing key/value separator "=" in URI query parameter: "…")`},
		{"postgres://tb@db/tb?password=s3c&tail9=a=b", `postgres url postgres://tb@db/tb?password=xxxxx: failed to parse as URL (extra key/value separator "=" in URI query parameter: "…")`},
	} {
		_, err := ParseURL(tc.conn)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.conn, err, tc.want)
		}
	}
}
