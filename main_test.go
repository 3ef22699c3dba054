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
		{name: "default server", args: nil, wantServer: "http://127.0.0.1:8787"},
		{name: "demo", args: []string{"--demo"}, wantDemo: true},
		{name: "server flag", args: []string{"--server", "https://tb.example.org"}, wantServer: "https://tb.example.org"},
		{name: "env server", env: map[string]string{"TEXTBANK_SERVER": "https://env.example.org"}, wantServer: "https://env.example.org"},
		{name: "flag beats env", args: []string{"--server", "https://flag.example.org"},
			env: map[string]string{"TEXTBANK_SERVER": "https://env.example.org"}, wantServer: "https://flag.example.org"},
		{name: "demo and server conflict", args: []string{"--demo", "--server", "https://tb.example.org"}, wantErr: "cannot be used together"},
		{name: "unknown flag", args: []string{"--colour"}, wantErr: "colour"},
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
