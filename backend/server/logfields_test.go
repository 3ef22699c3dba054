package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// logsNaming checks every line the server logged: a JSON object whose keys
// are each written once (a field called "message" beside zerolog's own
// would make a log shipper keep one of the two and lose the other), and
// returns the message_id of each line whose message contains msg.
func logsNaming(t *testing.T, logs *logLines, msg string) map[string]bool {
	t.Helper()
	text := logs.String()
	named := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if dup := duplicateKey(line); dup != "" {
			t.Errorf("log line has the key %q twice: %s", dup, line)
			continue
		}
		var fields map[string]any
		if err := json.Unmarshal(line, &fields); err != nil {
			t.Errorf("log line is not JSON (%v): %s", err, line)
			continue
		}
		if m, _ := fields["message"].(string); strings.Contains(m, msg) {
			id, _ := fields["message_id"].(string)
			named[id] = true
		}
	}
	return named
}

// duplicateKey returns a top-level key that occurs twice in the JSON
// object line, or "" if none does (or line is not an object).
func duplicateKey(line []byte) string {
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		key, _ := tok.(string)
		if seen[key] {
			return key
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}
