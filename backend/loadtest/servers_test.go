package loadtest

import (
	"strings"
	"testing"
)

// TestServerCmdKeepsSecretsOffTheCommandLine: the servers --servers starts
// get the database URL (and its password) and the Twilio token in their
// environment, which only their owner can read, not on their command line,
// which ps shows every local user. The run's values win over the same
// variables in the load driver's own environment.
func TestServerCmdKeepsSecretsOffTheCommandLine(t *testing.T) {
	t.Setenv("TEXTBANK_DB", "postgres://someone-else@elsewhere/db")
	const dbURL = "postgres://tb:s3cret-pw@db.example:5432/tb?sslmode=disable"
	nw := &twilioNet{sid: "ACtest", token: "tok3n-secret", url: "http://127.0.0.1:1", public: standInPublicURL}
	cmd := serverCmd(Options{DB: dbURL, Binary: "/usr/bin/textbankd", Volunteers: 4}, "127.0.0.1:2", "/tmp/data-0", nw)
	line := strings.Join(cmd.Args, " ")
	for _, secret := range []string{"postgres://", "s3cret-pw", "db.example", "tok3n-secret", "--db"} {
		if strings.Contains(line, secret) {
			t.Errorf("the command line holds %q: %s", secret, line)
		}
	}
	last := map[string]string{}
	for _, kv := range cmd.Env {
		k, v, _ := strings.Cut(kv, "=")
		last[k] = v // exec.Cmd uses the last of duplicate keys
	}
	if last["TEXTBANK_DB"] != dbURL {
		t.Errorf("TEXTBANK_DB in the server's environment = %q, want the run's database", last["TEXTBANK_DB"])
	}
	if last["TEXTBANK_TWILIO_AUTH_TOKEN"] != nw.token {
		t.Errorf("TEXTBANK_TWILIO_AUTH_TOKEN = %q, want the stand-in's token", last["TEXTBANK_TWILIO_AUTH_TOKEN"])
	}
	if !strings.Contains(line, "serve --addr 127.0.0.1:2 --data /tmp/data-0") {
		t.Errorf("command line %q", line)
	}
}
