package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/testlog"
)

func twilioSign(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := fullURL
	for _, k := range keys {
		s += k + form.Get(k)
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestServeDebugLogHoldsNoSecrets: textbankd serve with Twilio at debug
// level, sent sign-ups, sign-ins and webhooks forged and signed, writes
// neither the Twilio auth token, nor a password or session token, nor a
// text's body to its log.
func TestServeDebugLogHoldsNoSecrets(t *testing.T) {
	const (
		authToken = "f00dfeedcafe5eedf00dfeedcafe5eed"
		public    = "https://texts.example.org"
		password  = "leaky horse battery 99"
		body      = "a stranger's private text 5150"
	)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	var logs testlog.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--log-level", "debug", "--provider", "twilio",
			"--twilio-account-sid", "AC0123456789abcdef0123456789abcdef", "--public-url", public, "--twilio-api-url", "http://127.0.0.1:9"},
			io.Discard, &logs, envOf(map[string]string{"TEXTBANK_TWILIO_AUTH_TOKEN": authToken}))
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never became healthy:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	post := func(path, ctype, in string, header ...string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(in))
		req.Header.Set("Content-Type", ctype)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return string(out)
	}
	signed := post("/api/v1/signup", "application/json", `{"name": "Lee", "email": "lee@example.org", "password": "`+password+`"}`)
	post("/api/v1/login", "application/json", `{"email": "lee@example.org", "password": "`+password+`x"}`)
	post("/api/v1/login", "application/json", `{"email": "lee@example.org", "password": "`+password+`"}`)
	form := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {body}}
	sig := twilioSign(authToken, public+"/webhooks/twilio/inbound", form)
	post("/webhooks/twilio/inbound", "application/x-www-form-urlencoded", form.Encode())                                   // unsigned
	post("/webhooks/twilio/inbound", "application/x-www-form-urlencoded", form.Encode()+"&x=1", "X-Twilio-Signature", sig) // altered
	post("/webhooks/twilio/inbound", "application/x-www-form-urlencoded", form.Encode(), "X-Twilio-Signature", sig)        // to a number not ours
	time.Sleep(100 * time.Millisecond)
	log := logs.String()
	for _, want := range []string{"textbankd serving", "signature missing or wrong", "not one of our numbers"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the log lacks %q; the test sees nothing:\n%s", want, log)
		}
	}
	token := signed[strings.Index(signed, `"token":"`)+len(`"token":"`):]
	token = token[:strings.Index(token, `"`)]
	for _, s := range []string{authToken, password, token, body, sig} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}
