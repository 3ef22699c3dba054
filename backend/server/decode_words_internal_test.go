package server

import (
	"strings"
	"testing"
)

// FuzzSyntaxWhat: whatever encoding/json's message, rewording it never
// panics, and a message it rewords ends with the found character's quote.
func FuzzSyntaxWhat(f *testing.F) {
	for _, s := range []string{"invalid character 'x' looking for beginning of value", "invalid character '",
		"invalid character ' ' after object key", `invalid character '\'' in string`, "unexpected end of JSON input"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		got := syntaxWhat(msg)
		if got != msg && (!strings.HasPrefix(msg, "invalid character '") || !strings.HasSuffix(got, "'")) {
			t.Fatalf("syntaxWhat(%q) = %q", msg, got)
		}
	})
}
