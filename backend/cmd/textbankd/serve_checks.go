package main

// serve's checks of its configuration beyond each flag's own: the
// refusals and warnings parseServe derives from flags taken together.

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres"
)

// sameDatabase says whether two --db values name one database: the same
// URL but for a password given in one of them only. Either empty (SQLite)
// is the same only as the other empty.
func sameDatabase(a, b string) bool {
	if a == b || a == "" || b == "" {
		return a == b
	}
	ua, ea := url.Parse(a)
	ub, eb := url.Parse(b)
	if ea != nil || eb != nil {
		return false
	}
	strip := func(u *url.URL) string {
		q := u.Query()
		for k := range q {
			if passwordParam(k) {
				q.Del(k)
			}
		}
		return u.Scheme + "://" + u.User.Username() + "@" + u.Host + u.Path + "?" + q.Encode()
	}
	return strip(ua) == strip(ub)
}

// secretsTyped are the flags of args that carry a secret: the Twilio auth
// token, a --public-url with the proxy's password in it (section 2 of
// docs/OPERATIONS.md), a --db URL with the database's password. ps shows
// any user of the machine every process's arguments, and a systemd unit's
// ExecStart is readable by all; the environment is its owner's alone.
// The same values from TEXTBANK_* variables are not listed.
func secretsTyped(args []string, cfg serveConfig) []string {
	var out []string
	for _, f := range []struct {
		name   string
		secret bool
	}{
		{"twilio-auth-token", cfg.texts.token != ""},
		{"public-url", redactURL(cfg.texts.publicURL) != cfg.texts.publicURL},
		{"db", redactURL(cfg.db) != cfg.db},
	} {
		if f.secret && givenOnCommandLine(args, f.name) {
			out = append(out, "--"+f.name)
		}
	}
	return out
}

// checkProviderWithDB refuses serve on PostgreSQL without an SMS provider.
// On SQLite such a server fails each text visibly (noProvider), and it is
// the only one sending. On PostgreSQL every server's dispatcher claims its
// share of one queue: a server started without --provider beside others
// that have one (a unit file missing the line, TEXTBANK_PROVIDER not
// exported in one shell) takes about half the texts and fails every one of
// them, for good, while the others send theirs.
func checkProviderWithDB(db, provider string, demo bool) error {
	if db == "" || provider != "" || demo {
		return nil
	}
	return errors.New("--db without --provider: the servers on one PostgreSQL database share one queue of texts, and a server " +
		"without an SMS provider would take its share of them and fail each one; give every server the same --provider twilio " +
		"(or --provider sim for simulated texts), or TEXTBANK_PROVIDER")
}

// checkAdoptGrace refuses an --adopt-grace (0: the default) that cannot be
// safe (postgres.MinAdoptGrace), or that has no PostgreSQL database to
// apply to.
func checkAdoptGrace(g time.Duration, db string) error {
	if g != 0 && (g < postgres.MinAdoptGrace || g > time.Hour || db == "") {
		return fmt.Errorf("--adopt-grace %v: want %v to 1h, with --db (a PostgreSQL database several servers share)", g, postgres.MinAdoptGrace)
	}
	return nil
}
