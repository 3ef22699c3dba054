package main

import (
	"strings"
	"testing"
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
