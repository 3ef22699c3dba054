package main

import (
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestParseFlags(t *testing.T) {
	t.Setenv("TEXTBANK_SERVER", "")
	cases := []struct {
		name       string
		args       []string
		env        map[string]string
		wantServer string
		wantDemo   bool
		wantErr    string
	}{
		{name: "no server: settings or default decide", args: nil, wantServer: ""},
		{name: "demo", args: []string{"--demo"}, wantDemo: true},
		{name: "server flag", args: []string{"--server", "https://tb.example.org"}, wantServer: "https://tb.example.org"},
		{name: "env server", env: map[string]string{"TEXTBANK_SERVER": "https://env.example.org"}, wantServer: "https://env.example.org"},
		{name: "flag beats env", args: []string{"--server", "https://flag.example.org"},
			env: map[string]string{"TEXTBANK_SERVER": "https://env.example.org"}, wantServer: "https://flag.example.org"},
		{name: "demo and server conflict", args: []string{"--demo", "--server", "https://tb.example.org"}, wantErr: "cannot be used together"},
		{name: "unknown flag", args: []string{"--colour"}, wantErr: "colour"},
		{name: "autoreply needs demo", args: []string{"--demo-autoreply", "2"}, wantErr: "needs --demo"},
		{name: "autoreply bounded", args: []string{"--demo", "--demo-autoreply", "500"}, wantErr: "0 to 20"},
		{name: "autoreply", args: []string{"--demo", "--demo-autoreply", "3"}, wantDemo: true},
		// The Settings rule for a new address holds for the flag and its
		// variable too, each named: http:// only to this computer.
		{name: "server flag in plain http", args: []string{"--server", "http://tb.example.org"}, wantErr: "--server: server address \"http://tb.example.org\": use https://"},
		// TEXTBANK_SERVER in plain http:// does not stop the app (started at
		// login there is no terminal to read why): the window refuses it.
		{name: "env server in plain http", env: map[string]string{"TEXTBANK_SERVER": "http://10.0.0.5:8787"}, wantServer: "http://10.0.0.5:8787"},
		// A typed --demo runs its own server: an address left in the
		// environment for the real campaign is set aside, not an error.
		{name: "demo sets env server aside", args: []string{"--demo"}, env: map[string]string{"TEXTBANK_SERVER": "https://env.example.org"},
			wantDemo: true},
		{name: "server flag http on this computer", args: []string{"--server", "http://127.0.0.1:8787"}, wantServer: "http://127.0.0.1:8787"},
		{name: "server flag http localhost", args: []string{"--server", "http://localhost:8787"}, wantServer: "http://localhost:8787"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			f, err := parseFlags(tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.server != tc.wantServer || f.demo != tc.wantDemo {
				t.Fatalf("got server %q demo %v, want %q %v", f.server, f.demo, tc.wantServer, tc.wantDemo)
			}
		})
	}
}

func TestChooseServer(t *testing.T) {
	for _, tc := range []struct {
		flag, saved, want string
		fromFlag          bool
	}{
		{"https://flag.example.org", "https://saved.example.org", "https://flag.example.org", true},
		{"", "https://saved.example.org", "https://saved.example.org", false},
		{"", "", defaultServer, false},
	} {
		got, fromFlag := chooseServer(tc.flag, tc.saved)
		if got != tc.want || fromFlag != tc.fromFlag {
			t.Errorf("chooseServer(%q, %q) = %q, %v; want %q, %v", tc.flag, tc.saved, got, fromFlag, tc.want, tc.fromFlag)
		}
	}
}

// TestRefusedServer: an address saved before the rule (plain http:// to
// another computer) is answered with what to do; https:// and this
// computer's http:// are fine.
func TestRefusedServer(t *testing.T) {
	got := refusedServer("http://old.example.org", false)
	for _, want := range []string{"http://old.example.org", "https://", "Settings", "restart"} {
		if !strings.Contains(got, want) {
			t.Errorf("refusedServer says %q; want it to mention %q", got, want)
		}
	}
	// The sign-in screen shows it after Sign out too, when nothing is kept:
	// the client adds that while someone is signed in.
	if strings.Contains(got, "kept") {
		t.Errorf("refusedServer says %q; want it not to say what is kept", got)
	}
	for _, fine := range []string{"https://texts.example.org", "http://127.0.0.1:8787", defaultServer} {
		if got := refusedServer(fine, true); got != "" {
			t.Errorf("refusedServer(%q) = %q, want none", fine, got)
		}
	}
}

// TestEnvServerInPlainHTTPOpensTheWindow: TEXTBANK_SERVER=http://remote
// left in the environment starts the app (hidden at login, an exit is
// never seen) with the address refused, in words that say to change the
// variable (it beats Settings); the same address typed as --server is
// still an error at the command line; a saved one is refused as before.
func TestEnvServerInPlainHTTPOpensTheWindow(t *testing.T) {
	t.Setenv("TEXTBANK_SERVER", "http://10.0.0.5:8787")
	f, err := parseFlags([]string{"--hidden"})
	if err != nil {
		t.Fatalf("TEXTBANK_SERVER in plain http:// stopped the app: %v", err)
	}
	url, fromFlag, refused := activeServer(f, "https://saved.example.org")
	if url != "http://10.0.0.5:8787" || !fromFlag {
		t.Fatalf("server %q from flag %v; want the variable's", url, fromFlag)
	}
	for _, want := range []string{"http://10.0.0.5:8787", "TEXTBANK_SERVER", "https://", "restart"} {
		if !strings.Contains(refused, want) {
			t.Errorf("refusal %q; want it to mention %q", refused, want)
		}
	}
	// Started at login, the window opens anyway: in the tray nothing would
	// ever sync or notify, and nobody would know why.
	if !f.hidden || startHidden(f.hidden, refused) {
		t.Errorf("--hidden with a refused address starts hidden; want the window open")
	}
	if !startHidden(true, "") {
		t.Errorf("--hidden with a fine address does not start hidden")
	}
	if _, err := parseFlags([]string{"--server", "http://10.0.0.5:8787"}); err == nil || !strings.Contains(err.Error(), "--server") {
		t.Errorf("typed --server in plain http://: %v; want the error naming --server", err)
	}
	t.Setenv("TEXTBANK_SERVER", "")
	f, _ = parseFlags(nil)
	if _, _, refused := activeServer(f, "http://old.example.org"); refused == "" || strings.Contains(refused, "TEXTBANK_SERVER") {
		t.Errorf("saved plain http:// address: refusal %q; want one that sends to Settings", refused)
	}
	f, _ = parseFlags([]string{"--demo"})
	if _, _, refused := activeServer(f, "http://old.example.org"); refused != "" {
		t.Errorf("demo refused %q; it runs its own server", refused)
	}
}

// TestDemoServerReportsTheAppsVersion: the embedded demo server is this
// binary's code and says so; it reported "dev" (Settings' About: "Campaign
// server dev" beside "Textbank 0.1.0").
func TestDemoServerReportsTheAppsVersion(t *testing.T) {
	if o := demoOptions(t.TempDir(), simnet.DefaultConfig(), zerolog.Nop()); o.Version != version || o.Version == "" {
		t.Fatalf("demo server version %q, want the app's %q", o.Version, version)
	}
}
