package twilio

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

// TestRefusedWebhookLogHidesPublicURLPassword: a webhook refused for its
// signature is logged with the URL it was checked against, and a public
// URL may hold the password of the proxy's basic authentication (Twilio
// calls https://user:password@host with it): the log shows the URL, not
// the password. Anyone may send such a request, so anyone could otherwise
// have a log line written with it.
func TestRefusedWebhookLogHidesPublicURLPassword(t *testing.T) {
	const secret = "Pr0xyS3cretPw"
	var logs bytes.Buffer
	rec := &recorder{inbound: map[string]sms.Inbound{}}
	wh := &Webhooks{AuthToken: testToken, PublicURL: "https://twilio:" + secret + "@texts.example.org", Receiver: rec, Statuses: rec,
		Log: zerolog.New(&logs)}
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000009"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {"hi"}}
	req := httptest.NewRequest(http.MethodPost, InboundPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", "Zm9yZ2Vk")
	rw := httptest.NewRecorder()
	wh.Handler().ServeHTTP(rw, req)
	if rw.Code != http.StatusForbidden {
		t.Fatalf("a forged signature answered %d", rw.Code)
	}
	out := logs.String()
	if !strings.Contains(out, "signed_url") || !strings.Contains(out, "twilio:") {
		t.Fatalf("the refusal does not name the URL checked: %s", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the log shows the public URL's password: %s", out)
	}
	for raw, want := range map[string]string{
		"https://texts.example.org":                       "https://texts.example.org",
		"HTTP://texts.example.org":                        "HTTP://texts.example.org",
		"https://twilio:" + secret + "@texts.example.org": "https://twilio:xxxxx@texts.example.org",
		"https://twilio@texts.example.org":                "https://twilio@texts.example.org",
	} {
		if got := ShownURL(raw); got != want {
			t.Errorf("ShownURL(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := ShownURL("https://twilio:" + secret + "@texts.example.org:99999x"); strings.Contains(got, secret) {
		t.Errorf("an unparsable URL shown with its password: %q", got)
	}
}

// TestWebhookSignedWithOrWithoutTheURLsCredentials: Twilio's documentation
// does not say whether a public URL's basic-auth credentials are part of
// what it signs; a request signed either way is taken, one signed with
// another token is not.
func TestWebhookSignedWithOrWithoutTheURLsCredentials(t *testing.T) {
	const withCreds = "https://twilio:Pr0xyS3cretPw@texts.example.org"
	for i, c := range []struct {
		signedURL, token string
		want             int
	}{
		{withCreds + InboundPath, testToken, http.StatusOK},
		{"https://texts.example.org" + InboundPath, testToken, http.StatusOK},
		{"https://texts.example.org" + InboundPath, "ffffffffffffffffffffffffffffffff", http.StatusForbidden},
		{"https://other.example.org" + InboundPath, testToken, http.StatusForbidden},
	} {
		rec := &recorder{inbound: map[string]sms.Inbound{}}
		wh := &Webhooks{AuthToken: testToken, PublicURL: withCreds, Receiver: rec, Statuses: rec, Log: zerolog.Nop()}
		form := url.Values{"MessageSid": {fmt.Sprintf("SM0000000000000000000000000000000%d", i)}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {"hi"}}
		req := httptest.NewRequest(http.MethodPost, InboundPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", sign(c.token, c.signedURL, form))
		rw := httptest.NewRecorder()
		wh.Handler().ServeHTTP(rw, req)
		if rw.Code != c.want {
			t.Errorf("signed over %s with token %s...: answered %d %s, want %d", c.signedURL, c.token[:4], rw.Code, rw.Body, c.want)
		}
	}
}
