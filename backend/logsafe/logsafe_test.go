package logsafe

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

func TestBytes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`user vera-1f2e@example.org: context canceled`, `user v…@example.org: context canceled`},
		{`checks of a text to +12025550101: busy`, `checks of a text to +…0101: busy`},
		{`thread of +447700900123 texted from +12025550180`, `thread of +…0123 texted from +…0180`},
		{`{"error":"user Pat.Smith@Mail.Example.co.uk"}`, `{"error":"user P…@Mail.Example.co.uk"}`},
		// Left as they are: times with zones, ids, counts, addresses.
		{`2026-12-05T17:00:00+05:00`, `2026-12-05T17:00:00+05:00`},
		{`message 0190f3c2-7b1a-4c2e-9d1f-2a3b4c5d6e7f, 12345 rows, 127.0.0.1:8787`, `message 0190f3c2-7b1a-4c2e-9d1f-2a3b4c5d6e7f, 12345 rows, 127.0.0.1:8787`},
		{`SM0123456789abcdef0123456789abcdef`, `SM0123456789abcdef0123456789abcdef`},
		{`+1234`, `+1234`},
		{`+50045678`, `+…5678`}, // 8 digits, the shortest E.164 number
		{`+1234567`, `+1234567`},
		{`refused: (217) 555-0101 opted out`, `refused: (…) …-0101 opted out`},
	} {
		if got := string(Bytes([]byte(c.in))); got != c.want {
			t.Errorf("Bytes(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestWriter: a zerolog logger over Writer logs an error's email and
// number masked, the rest of the event as it was.
func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(Writer(&buf))
	log.Error().Err(errString("user vera@example.org: texting +12025550101 failed")).Str("path", "/api/v1/login").Msg("request failed")
	out := buf.String()
	if strings.Contains(out, "vera@") || strings.Contains(out, "2025550101") {
		t.Fatalf("log holds the email or number: %s", out)
	}
	for _, want := range []string{`v…@example.org`, `+…0101`, `"path":"/api/v1/login"`, `"message":"request failed"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log %s lacks %s", out, want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
