package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/testlog"
)

// TestPublicURLPasswordNotShown: Twilio calls a webhook URL written
// https://user:password@host with HTTP basic authentication, so an
// operator whose proxy asks for it gives such a --public-url. Its password
// is a secret: neither the refusals of a wrong public URL nor serve's log
// show it (the user name and host stay, to tell which URL was meant).
func TestPublicURLPasswordNotShown(t *testing.T) {
	const (
		sid, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
		secret     = "Pr0xyS3cretPw"
	)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	args := func(public string, more ...string) []string {
		return append([]string{"--provider", "twilio", "--twilio-account-sid", sid, "--twilio-auth-token-file", tokenFile,
			"--public-url", public}, more...)
	}
	for _, public := range []string{
		"http://twilio:" + secret + "@texts.example.org",         // plain http: refused by serve's flags
		"https://twilio:" + secret + "@texts.example.org/?x=1",   // a query: refused by the Twilio provider
		"http://twilio:" + secret + "@127.0.0.1:8787/?x=1",       // loopback, a query
		"https://twilio:" + secret + "@texts.example.org:99999x", // not a URL at all
	} {
		_, err := parseServe(args(public, "--twilio-api-url", "http://127.0.0.1:9"), envOf(nil), io.Discard)
		if err == nil {
			t.Errorf("%s: accepted", public)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("the refusal of a public URL shows its password: %v", err)
		}
	}

	api := twilioAccountStandIn(t, sid, token)
	for _, public := range []string{"https://twilio:" + secret + "@texts.example.org", "http://twilio:" + secret + "@127.0.0.1:8787"} {
		ctx, cancel := context.WithCancel(context.Background())
		logs := &testlog.Buffer{}
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data")},
				args(public, "--twilio-api-url", api)...), io.Discard, logs, envOf(nil))
		}()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(logs.String(), "textbankd serving") {
			if time.Now().After(deadline) {
				t.Fatalf("never served; log: %s", logs.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		out := logs.String()
		if strings.Contains(out, secret) {
			t.Errorf("serve's log shows the public URL's password: %s", out)
		}
		if !strings.Contains(out, "twilio:") {
			t.Errorf("serve's log does not name the public URL: %s", out)
		}
	}
}
