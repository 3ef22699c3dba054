package main

import (
	"io"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
)

// TestWebhookReserveFlag: --webhook-reserve (or TEXTBANK_WEBHOOK_RESERVE,
// the flag winning) reaches the server's configuration with the other
// caps, 64 when not given; a value the reserve cannot work with is refused
// naming the flag (or the variable, for one that is no number).
func TestWebhookReserveFlag(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    int
		wantErr string
	}{
		{"default", nil, nil, server.DefaultWebhookReserve, ""},
		{"flag", []string{"--webhook-reserve", "500"}, nil, 500, ""},
		{"variable", nil, map[string]string{"TEXTBANK_WEBHOOK_RESERVE": "256"}, 256, ""},
		{"flag over variable", []string{"--webhook-reserve", "300"}, map[string]string{"TEXTBANK_WEBHOOK_RESERVE": "256"}, 300, ""},
		{"the most", []string{"--webhook-reserve", "10000"}, nil, 10_000, ""},
		{"none", []string{"--webhook-reserve", "0"}, nil, 0,
			"--webhook-reserve 0: want 1 to 10000; without a reserve a full server refuses the provider's webhooks"},
		{"negative", nil, map[string]string{"TEXTBANK_WEBHOOK_RESERVE": "-5"}, 0, "--webhook-reserve -5: want 1 to 10000"},
		{"too many", []string{"--webhook-reserve", "10001"}, nil, 0, "--webhook-reserve 10001: want 1 to 10000"},
		{"no number", nil, map[string]string{"TEXTBANK_WEBHOOK_RESERVE": "lots"}, 0, `TEXTBANK_WEBHOOK_RESERVE="lots": want a whole number`},
		{"no number on the command line", []string{"--webhook-reserve", "1e3"}, nil, 0, "webhook-reserve"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseServe(tc.args, envOf(tc.env), io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sc server.Config
			cfg.conns.apply(&sc)
			if sc.WebhookReserve != tc.want || sc.MaxConns != server.DefaultMaxConns || sc.MaxConnsPerAddress != server.DefaultMaxConnsPerAddress {
				t.Fatalf("server config: reserve %d, caps %d and %d; want reserve %d and the default caps",
					sc.WebhookReserve, sc.MaxConns, sc.MaxConnsPerAddress, tc.want)
			}
			if got := cfg.conns.openFiles(); got != server.DefaultMaxConns+tc.want {
				t.Fatalf("connections the open-file limit must hold: %d; want --max-conns plus the reserve, %d", got, server.DefaultMaxConns+tc.want)
			}
		})
	}
}
