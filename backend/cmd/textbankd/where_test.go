package main

import "testing"

// TestNextHintReachesTheSameStore: the "Next: textbankd contacts import"
// hint names the store the command used unless the next command finds it
// by itself (defaults, or the same environment), never with a password.
func TestNextHintReachesTheSameStore(t *testing.T) {
	tests := []struct {
		name string
		opts cliOpts
		env  map[string]string
		want string
	}{
		{"defaults", cliOpts{data: "textbank-data"}, nil, ""},
		{"--data", cliOpts{data: "/srv/tb"}, nil, " --data '/srv/tb'"},
		{"TEXTBANK_DATA", cliOpts{data: "/srv/tb"}, map[string]string{"TEXTBANK_DATA": "/srv/tb"}, ""},
		{"--db", cliOpts{data: "textbank-data", db: "postgres://tb@db:5432/tb"}, nil, " --db 'postgres://tb@db:5432/tb'"},
		{"--db with a password", cliOpts{data: "textbank-data", db: "postgres://tb:s3cret@db/tb"}, nil, " --db 'postgres://tb:xxxxx@db/tb'"},
		{"TEXTBANK_DB", cliOpts{data: "/x", db: "postgres://tb@db/tb"}, map[string]string{"TEXTBANK_DB": "postgres://tb@db/tb"}, ""},
	}
	for _, tc := range tests {
		c := &cli{opts: tc.opts, getenv: envOf(tc.env)}
		if got := c.where(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
