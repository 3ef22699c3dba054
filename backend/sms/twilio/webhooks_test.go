package twilio

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

const publicURL = "https://texts.example.org"

// knownSID is the one text of ours the recorder knows a status for.
const knownSID = "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// sign is Twilio's documented signature, written out here (not taken from
// twilio-go) so the test checks the handler against the documentation:
// base64(HMAC-SHA1(token, URL + each sorted key followed by its value)).
func sign(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// recorder is the store's stand-in: it keeps what the webhook handed over
// the way the server does (a repeated MessageSid once, unknown numbers and
// ids refused).
type recorder struct {
	mu       sync.Mutex
	inbound  map[string]sms.Inbound
	statuses []sms.StatusUpdate
}

func (r *recorder) Receive(_ context.Context, in sms.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if in.To != "+12025550100" {
		return fmt.Errorf("text to %s: %w", in.To, sms.ErrUnknownNumber)
	}
	if _, seen := r.inbound[in.ProviderID]; !seen {
		r.inbound[in.ProviderID] = in
	}
	return nil
}

func (r *recorder) UpdateStatus(_ context.Context, u sms.StatusUpdate) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if u.ProviderID != knownSID {
		return fmt.Errorf("%s: %w", u.ProviderID, sms.ErrUnknownMessage)
	}
	r.statuses = append(r.statuses, u)
	return nil
}

func TestWebhooks(t *testing.T) {
	inbound := func(kv ...string) url.Values {
		v := url.Values{"AccountSid": {testSID}, "MessageSid": {"SM00000000000000000000000000000001"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {"Yes!"}, "NumMedia": {"0"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	status := func(kv ...string) url.Values {
		v := url.Values{"AccountSid": {testSID}, "MessageSid": {knownSID}, "MessageStatus": {"delivered"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name       string
		path       string
		form       url.Values
		sig        string // "" signs correctly; "-" sends none
		method     string
		wantStatus int
		wantBody   string
		// effect checks what reached the store.
		effect func(t *testing.T, r *recorder)
	}{
		{name: "inbound text", path: InboundPath, form: inbound(), wantStatus: 200, wantBody: "<Response></Response>",
			effect: func(t *testing.T, r *recorder) {
				if in := r.inbound["SM00000000000000000000000000000001"]; in.Body != "Yes!" || in.From != "+12125550101" || len(r.inbound) != 1 {
					t.Fatalf("stored %+v", r.inbound)
				}
			}},
		{name: "picture message keeps its URLs", path: InboundPath,
			form:       inbound("MessageSid", "MM00000000000000000000000000000002", "Body", "", "NumMedia", "2", "MediaUrl0", "https://api.twilio.com/m/0", "MediaUrl1", "https://api.twilio.com/m/1"),
			wantStatus: 200, wantBody: "<Response></Response>",
			effect: func(t *testing.T, r *recorder) {
				if in := r.inbound["MM00000000000000000000000000000002"]; len(in.MediaURLs) != 2 || in.MediaURLs[1] != "https://api.twilio.com/m/1" {
					t.Fatalf("stored %+v", in)
				}
			}},
		{name: "unsigned", path: InboundPath, form: inbound(), sig: "-", wantStatus: 403, effect: nothingStored},
		{name: "signed with another token", path: InboundPath, form: inbound(), sig: sign("ffffffffffffffffffffffffffffffff", publicURL+InboundPath, inbound()), wantStatus: 403, effect: nothingStored},
		{name: "signed for another URL", path: InboundPath, form: inbound(), sig: sign(testToken, "https://evil.example.org"+InboundPath, inbound()), wantStatus: 403, effect: nothingStored},
		{name: "body changed after signing", path: InboundPath, form: inbound("Body", "STOP"), sig: sign(testToken, publicURL+InboundPath, inbound()), wantStatus: 403, effect: nothingStored},
		{name: "GET", path: InboundPath, form: inbound(), method: http.MethodGet, wantStatus: 405, effect: nothingStored},
		{name: "no MessageSid", path: InboundPath, form: inbound("MessageSid", ""), wantStatus: 400, effect: nothingStored},
		{name: "no From", path: InboundPath, form: inbound("From", ""), wantStatus: 400, effect: nothingStored},
		{name: "media count lies", path: InboundPath, form: inbound("NumMedia", "1"), wantStatus: 400, effect: nothingStored},
		{name: "media count not a number", path: InboundPath, form: inbound("NumMedia", "x"), wantStatus: 400, effect: nothingStored},
		{name: "to a number not ours", path: InboundPath, form: inbound("To", "+12025559999"), wantStatus: 404, effect: nothingStored},
		{name: "delivered", path: StatusPath, form: status(), wantStatus: 204,
			effect: func(t *testing.T, r *recorder) {
				if len(r.statuses) != 1 || r.statuses[0].Status != sms.StatusDelivered {
					t.Fatalf("statuses %+v", r.statuses)
				}
			}},
		{name: "failed with Twilio's code", path: StatusPath, form: status("MessageStatus", "undelivered", "ErrorCode", "30006"), wantStatus: 204,
			effect: func(t *testing.T, r *recorder) {
				if len(r.statuses) != 1 || r.statuses[0].Status != sms.StatusUndelivered || r.statuses[0].ErrorCode != "30006" || r.statuses[0].ErrorMessage == "" {
					t.Fatalf("statuses %+v", r.statuses)
				}
			}},
		{name: "queued changes nothing", path: StatusPath, form: status("MessageStatus", "queued"), wantStatus: 204, effect: nothingStored},
		{name: "status unsigned", path: StatusPath, form: status(), sig: "-", wantStatus: 403, effect: nothingStored},
		{name: "status without MessageStatus", path: StatusPath, form: url.Values{"MessageSid": {knownSID}}, wantStatus: 400, effect: nothingStored},
		// A number's "A message comes in" webhook set to the status URL:
		// Twilio's incoming-text form, signed for that URL, is kept as a
		// reply rather than refused (and so lost).
		{name: "incoming text at the status URL", path: StatusPath, form: inbound("SmsStatus", "received"), wantStatus: 200, wantBody: "<Response></Response>",
			effect: func(t *testing.T, r *recorder) {
				if in := r.inbound["SM00000000000000000000000000000001"]; in.Body != "Yes!" || len(r.inbound) != 1 || len(r.statuses) != 0 {
					t.Fatalf("stored %+v %+v", r.inbound, r.statuses)
				}
			}},
		// A gateway's status callback without MessageStatus but with the
		// text's Body echoed is no incoming text: not stored as a reply.
		{name: "a status form without MessageStatus at the status URL", path: StatusPath, form: inbound(), wantStatus: 400, effect: nothingStored},
		{name: "status of a text not ours", path: StatusPath, form: status("MessageSid", "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), wantStatus: 404, effect: nothingStored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{inbound: map[string]sms.Inbound{}}
			wh := &Webhooks{AuthToken: testToken, PublicURL: publicURL, Receiver: rec, Statuses: rec, Log: zerolog.Nop(), StatusWait: 10 * time.Millisecond}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, tt.path, strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			switch tt.sig {
			case "":
				req.Header.Set("X-Twilio-Signature", sign(testToken, publicURL+tt.path, tt.form))
			case "-":
			default:
				req.Header.Set("X-Twilio-Signature", tt.sig)
			}
			rw := httptest.NewRecorder()
			wh.Handler().ServeHTTP(rw, req)
			if rw.Code != tt.wantStatus {
				t.Fatalf("status %d (%s), want %d", rw.Code, rw.Body, tt.wantStatus)
			}
			if tt.wantBody != "" {
				if rw.Body.String() != tt.wantBody || rw.Header().Get("Content-Type") != "text/xml" {
					t.Fatalf("body %q type %q", rw.Body, rw.Header().Get("Content-Type"))
				}
			}
			tt.effect(t, rec)
		})
	}
}

func nothingStored(t *testing.T, r *recorder) {
	t.Helper()
	if len(r.inbound) != 0 || len(r.statuses) != 0 {
		t.Fatalf("stored %+v %+v, want nothing", r.inbound, r.statuses)
	}
}

func TestRepeatedMessageSidStoredOnce(t *testing.T) {
	rec := &recorder{inbound: map[string]sms.Inbound{}}
	wh := &Webhooks{AuthToken: testToken, PublicURL: publicURL, Receiver: rec, Statuses: rec, Log: zerolog.Nop()}
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000009"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {"hi"}}
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, InboundPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", sign(testToken, publicURL+InboundPath, form))
		rw := httptest.NewRecorder()
		wh.Handler().ServeHTTP(rw, req)
		if rw.Code != 200 {
			t.Fatalf("status %d", rw.Code)
		}
	}
	if len(rec.inbound) != 1 {
		t.Fatalf("stored %d", len(rec.inbound))
	}
}

func FuzzWebhookForm(f *testing.F) {
	f.Add("MessageSid=SM00000000000000000000000000000001&From=%2B12125550101&To=%2B12025550100&Body=hi&NumMedia=1&MediaUrl0=x")
	f.Add("NumMedia=-1")
	f.Fuzz(func(t *testing.T, body string) {
		rec := &recorder{inbound: map[string]sms.Inbound{}}
		wh := &Webhooks{AuthToken: testToken, PublicURL: publicURL, Receiver: rec, Statuses: rec, Log: zerolog.Nop(), StatusWait: time.Millisecond}
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for _, path := range []string{InboundPath, StatusPath} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", sign(testToken, publicURL+path, form))
			rw := httptest.NewRecorder()
			wh.Handler().ServeHTTP(rw, req)
			if rw.Code >= 500 {
				t.Fatalf("%s: status %d for %q", path, rw.Code, body)
			}
		}
	})
}

// TestWebhookURLMistyped: a request to a path under the webhooks that
// serves nothing (a number's webhook with a trailing slash, a made-up
// name) is answered 404 and logged at warn with the inbound URL to set:
// at info nothing showed why every reply was lost.
func TestWebhookURLMistyped(t *testing.T) {
	var logs strings.Builder
	rec := &recorder{inbound: map[string]sms.Inbound{}}
	wh := &Webhooks{AuthToken: testToken, PublicURL: publicURL, Receiver: rec, Statuses: rec, Log: zerolog.New(&logs).Level(zerolog.InfoLevel)}
	for _, path := range []string{InboundPath + "/", "/webhooks/twilio/incoming"} {
		form := url.Values{"MessageSid": {"SM00000000000000000000000000000003"}, "From": {"+12125550101"}, "To": {"+12025550100"}, "Body": {"hi"}}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", sign(testToken, publicURL+path, form))
		rw := httptest.NewRecorder()
		wh.Handler().ServeHTTP(rw, req)
		if rw.Code != http.StatusNotFound {
			t.Fatalf("%s: status %d, want 404", path, rw.Code)
		}
		if !strings.Contains(logs.String(), `"path":"`+path+`"`) || !strings.Contains(logs.String(), publicURL+InboundPath) {
			t.Fatalf("%s: log %q does not name the path and the inbound URL", path, logs.String())
		}
	}
	nothingStored(t, rec)
	// Anyone may send a path of 64 KB: the log keeps 200 bytes of it.
	if got := shortPath("/webhooks/twilio/" + strings.Repeat("é", 200)); len(got) > 203 || !strings.HasSuffix(got, "...") {
		t.Errorf("a long path logged as %d bytes: %q", len(got), got)
	}
}
