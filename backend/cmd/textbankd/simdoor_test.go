package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/server/store"
)

// TestSimDoorChecksWhoAsks: the server takes a chosen text only by POST,
// from its own machine and not through a proxy, with the key of the door
// it wrote at this start, and in the shape sim text sends; each refusal
// says why and stores nothing. Stopped, it removes its door, and sim text
// then says no simulated server runs there.
func TestSimDoorChecksWhoAsks(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	_, stop := serveInProcess(t, "--demo", "--data", data)
	door, err := simdoor.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(data, simdoor.File)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the door: %v, %v; want mode 0600", fi, err)
	}
	unroutable := func() int {
		t.Helper()
		n := 0
		withStore(t, data, func(ctx context.Context, tx store.Tx) error {
			u, err := tx.ListUnroutable(ctx, 1000)
			n = len(u)
			return err
		})
		return n
	}
	before := unroutable()
	good := `{"from":"+13125550177","to":"+12025550180","body":"Hi"}`
	for _, tc := range []struct {
		name, method, key, body string
		header                  http.Header
		code                    int
		want                    string
	}{
		{"GET", http.MethodGet, door.Key, "", nil, http.StatusMethodNotAllowed, "POST"},
		{"no key", http.MethodPost, "", good, nil, http.StatusForbidden, "the key is not this server's"},
		{"another key", http.MethodPost, strings.Repeat("0", len(door.Key)), good, nil, http.StatusForbidden, "the key is not this server's"},
		{"through a proxy", http.MethodPost, door.Key, good, http.Header{"X-Forwarded-For": {"203.0.113.9"}}, http.StatusForbidden, "on the server's own machine"},
		{"not JSON", http.MethodPost, door.Key, "START", nil, http.StatusBadRequest, "not a simulated text"},
		{"an unknown field", http.MethodPost, door.Key, `{"from":"+13125550177","to":"+12025550180","body":"Hi","sid":"SM1"}`, nil, http.StatusBadRequest, `unknown field "sid"`},
		{"a malformed id", http.MethodPost, door.Key, `{"id":"SM1","from":"+13125550177","to":"+12025550180","body":"Hi"}`, nil, http.StatusBadRequest,
			`id "SM1" is not a message id: SM and 32 hexadecimal digits`},
		{"a number not E.164", http.MethodPost, door.Key, `{"from":"3125550177","to":"+12025550180","body":"Hi"}`, nil, http.StatusBadRequest, `from "3125550177" is not an E.164 number`},
		{"no text", http.MethodPost, door.Key, `{"from":"+13125550177","to":"+12025550180","body":""}`, nil, http.StatusBadRequest, "the text is empty"},
	} {
		req, err := http.NewRequest(tc.method, door.URL+simdoor.Path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if tc.key != "" {
			req.Header.Set("Authorization", "Bearer "+tc.key)
		}
		for k, v := range tc.header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var refusal simdoor.Refusal
		err = json.NewDecoder(resp.Body).Decode(&refusal)
		resp.Body.Close()
		if resp.StatusCode != tc.code || err != nil || !strings.Contains(refusal.Error, tc.want) {
			t.Errorf("%s: %d %+v (%v); want %d naming %q", tc.name, resp.StatusCode, refusal, err, tc.code, tc.want)
		}
	}
	if n := unroutable(); n != before {
		t.Fatalf("%d unroutable texts after the refusals, want %d", n, before)
	}
	stop()
	if _, err := os.Stat(filepath.Join(data, simdoor.File)); !os.IsNotExist(err) {
		t.Fatalf("the door after the server stopped: %v; want it removed", err)
	}
	code, _, errOut := runCLI(t, map[string]string{"TEXTBANK_DATA": data}, "", "sim", "text", "--from", "+13125550177", "--to", "+12025550180", "Hi")
	if code != 1 || !strings.Contains(errOut, "no server on the simulated network runs on --data "+data) {
		t.Fatalf("sim text after the server stopped: exit %d, stderr %q", code, errOut)
	}
}

// TestSimTextRefusesAServerNotSimulated: a server with another provider
// (here none) keeps no door and takes no simulated text: its contacts'
// texts come from real phones. A door left by a simulated server that
// stopped without removing it (a kill) names a server no longer there, or
// another that took its port; either is refused, naming it, as is a
// damaged door.
func TestSimTextRefusesAServerNotSimulated(t *testing.T) {
	real := t.TempDir()
	addr, _ := serveInProcess(t, "--data", real)
	if _, err := os.Stat(filepath.Join(real, simdoor.File)); !os.IsNotExist(err) {
		t.Fatalf("a server without --provider sim wrote a door: %v", err)
	}
	sim := func(data string) (int, string) {
		t.Helper()
		code, _, errOut := runCLI(t, map[string]string{"TEXTBANK_DATA": data}, "", "sim", "text", "--from", "+13125550177", "--to", "+12025550180", "Hi")
		return code, errOut
	}
	if code, errOut := sim(real); code != 1 || !strings.Contains(errOut, "a server with --provider twilio or none takes no simulated text") {
		t.Errorf("sim text on a server without the simulated network: exit %d, stderr %q", code, errOut)
	}
	left := t.TempDir()
	writeDoor := func(d simdoor.Door) {
		t.Helper()
		b, _ := json.Marshal(d)
		if err := os.WriteFile(filepath.Join(left, simdoor.File), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeDoor(simdoor.Door{URL: "http://" + addr, Key: "k"})
	if code, errOut := sim(left); code != 1 || !strings.Contains(errOut, "the server at http://"+addr+" does not run the simulated network") {
		t.Errorf("a door to a server not simulated: exit %d, stderr %q", code, errOut)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	writeDoor(simdoor.Door{URL: "http://" + closed, Key: "k"})
	if code, errOut := sim(left); code != 1 || !strings.Contains(errOut, "no server answers at http://"+closed) {
		t.Errorf("a door to a stopped server: exit %d, stderr %q", code, errOut)
	}
	if err := os.WriteFile(filepath.Join(left, simdoor.File), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, errOut := sim(left); code != 1 || !strings.Contains(errOut, simdoor.File+" is damaged") {
		t.Errorf("a damaged door: exit %d, stderr %q", code, errOut)
	}
}
