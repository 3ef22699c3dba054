package twilio

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

func postForm(h http.Handler, path, body, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sig != "" {
		req.Header.Set("X-Twilio-Signature", sig)
	}
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, req)
	return rw
}

// TestWebhooksWithoutAuthTokenRefuseEverything: webhooks built without an
// auth token would check signatures keyed with nothing, which anyone can
// make; they refuse every request instead.
func TestWebhooksWithoutAuthTokenRefuseEverything(t *testing.T) {
	rec := &recorder{inbound: map[string]sms.Inbound{}}
	var logs bytes.Buffer
	wh := &Webhooks{PublicURL: publicURL, Receiver: rec, Statuses: rec, Log: zerolog.New(&logs)}
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {"forged"}}
	if rw := postForm(wh.Handler(), InboundPath, form.Encode(), sign("", publicURL+InboundPath, form)); rw.Code != http.StatusForbidden {
		t.Fatalf("a text signed with an empty key: %d, want 403", rw.Code)
	}
	nothingStored(t, rec)
	if !strings.Contains(logs.String(), "no auth token configured") {
		t.Fatalf("the log does not say why: %s", logs.String())
	}
}

// TestWebhookAttacksChangeNothingAndLogLittle: forged, altered, oversized
// and malformed requests from anyone are refused and store nothing; their
// refusals take at most refusalBurst log lines a minute however many come,
// and no log line holds a text's body, the auth token or a signature.
func TestWebhookAttacksChangeNothingAndLogLittle(t *testing.T) {
	rec := &recorder{inbound: map[string]sms.Inbound{}}
	var logs bytes.Buffer
	wh := &Webhooks{AuthToken: testToken, PublicURL: publicURL, Receiver: rec, Statuses: rec,
		Log: zerolog.New(&logs).Level(zerolog.DebugLevel), StatusWait: time.Millisecond}
	h := wh.Handler()
	const secret = "my very private reply 4242"
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {secret}}
	good := sign(testToken, publicURL+InboundPath, form)
	attacks := []struct {
		name, path, body, sig string
		want                  int
	}{
		{"no signature", InboundPath, form.Encode(), "", http.StatusForbidden},
		{"signature of another body", InboundPath, strings.Replace(form.Encode(), "4242", "4243", 1), good, http.StatusForbidden},
		{"status with the inbound's signature", StatusPath, "MessageSid=SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&MessageStatus=failed", good, http.StatusForbidden},
		{"query string added", InboundPath + "?Body=evil", form.Encode(), good, http.StatusForbidden},
		{"signature for the API host", InboundPath, form.Encode(), sign(testToken, "http://127.0.0.1:8787"+InboundPath, form), http.StatusForbidden},
		{"repeated parameter", InboundPath, form.Encode() + "&Body=STOP", good, http.StatusBadRequest},
		{"over 64 KiB", InboundPath, form.Encode() + "&Pad=" + strings.Repeat("x", maxWebhookBody), good, http.StatusBadRequest},
		{"not a form", InboundPath, "%zz", good, http.StatusBadRequest},
	}
	for range 10 { // 80 refusals, all within the minute
		for _, a := range attacks {
			if rw := postForm(h, a.path, a.body, a.sig); rw.Code != a.want {
				t.Fatalf("%s: %d, want %d", a.name, rw.Code, a.want)
			}
		}
	}
	nothingStored(t, rec)
	if n := strings.Count(logs.String(), "\n"); n > refusalBurst {
		t.Errorf("%d refusals of unsigned requests logged %d lines, want at most %d", 10*len(attacks), n, refusalBurst)
	}
	// A signed text is stored; what the log says of it holds no secret.
	if rw := postForm(h, InboundPath, form.Encode(), good); rw.Code != http.StatusOK {
		t.Fatalf("the signed text: %d", rw.Code)
	}
	for _, leak := range []string{secret, testToken, good} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("the log holds %q:\n%s", leak, logs.String())
		}
	}
}

// TestReplayReCutFromASignedTextIsRefused: Twilio signs each parameter's
// name and value run together, so a signed inbound text can be re-cut
// into another form with the same signature: here MessageSid swallows
// "NumMedia0". Replayed so, the text would be stored again under a
// MessageSid never seen; a MessageSid that is not a message id is refused
// instead. The plain replay is stored once, as before.
func TestReplayReCutFromASignedTextIsRefused(t *testing.T) {
	rec := &recorder{inbound: map[string]sms.Inbound{}}
	wh := &Webhooks{AuthToken: testToken, PublicURL: publicURL, Receiver: rec, Statuses: rec, Log: zerolog.Nop(), StatusWait: time.Millisecond}
	h := wh.Handler()
	const sid = "SM0123456789abcdef0123456789abcdef"
	signed := url.Values{"AccountSid": {testSID}, "Body": {"STOP"}, "From": {"+12125550101"}, "MessageSid": {sid},
		"NumMedia": {"0"}, "To": {"+12025550100"}}
	sig := sign(testToken, publicURL+InboundPath, signed)
	for range 2 { // Twilio's retry, or a replay as it was
		if rw := postForm(h, InboundPath, signed.Encode(), sig); rw.Code != http.StatusOK {
			t.Fatalf("the signed text: %d %s", rw.Code, rw.Body)
		}
	}
	recut := url.Values{"AccountSid": {testSID}, "Body": {"STOP"}, "From": {"+12125550101"}, "MessageSid": {sid + "NumMedia0"},
		"To": {"+12025550100"}}
	if sign(testToken, publicURL+InboundPath, recut) != sig {
		t.Fatal("the re-cut form does not carry the same signature; the test shows nothing")
	}
	if rw := postForm(h, InboundPath, recut.Encode(), sig); rw.Code != http.StatusBadRequest {
		t.Fatalf("the re-cut replay: %d, want 400", rw.Code)
	}
	if len(rec.inbound) != 1 {
		t.Fatalf("stored %d texts, want the one: %+v", len(rec.inbound), rec.inbound)
	}
	// The same cut on a status callback.
	status := url.Values{"MessageSid": {knownSID}, "MessageStatus": {"delivered"}, "SmsSid": {knownSID}}
	ssig := sign(testToken, publicURL+StatusPath, status)
	cut := url.Values{"MessageSid": {knownSID}, "MessageStatus": {"deliveredSmsSid" + knownSID}}
	if sign(testToken, publicURL+StatusPath, cut) != ssig {
		t.Fatal("the re-cut status does not carry the same signature")
	}
	if rw := postForm(h, StatusPath, cut.Encode(), ssig); rw.Code >= 500 || len(rec.statuses) != 0 {
		t.Fatalf("the re-cut status: %d, statuses %+v; want it to change nothing", rw.Code, rec.statuses)
	}
	// UUIDs, as Twilio-compatible gateways write them, are message ids.
	uuidForm := url.Values{"Body": {"hi"}, "From": {"+12125550101"}, "MessageSid": {"5f0c6a2e-1b2c-4d3e-8f9a-0b1c2d3e4f5a"}, "To": {"+12025550100"}}
	if rw := postForm(h, InboundPath, uuidForm.Encode(), sign(testToken, publicURL+InboundPath, uuidForm)); rw.Code != http.StatusOK {
		t.Fatalf("a gateway's UUID MessageSid: %d %s", rw.Code, rw.Body)
	}
}
