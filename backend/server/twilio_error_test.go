package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/twilio"
	"github.com/textbank/textbank/backend/testlog"
)

// TestTwilioErrorHoldsNoPublicURLPassword: with a public URL holding a
// proxy's basic-auth password (which every create sends Twilio as its
// StatusCallback), a stand-in of Twilio's REST API refuses the create with
// a message repeating that URL, as given and form-escaped. The error the
// Twilio provider returns, recorded by the dispatcher, leaves the password
// neither in the server's log nor in the failed text's stored error, which
// volunteers and admins read; the URL is still named, without it.
func TestTwilioErrorHoldsNoPublicURLPassword(t *testing.T) {
	const (
		sid      = "AC0123456789abcdef0123456789abcdef"
		token    = "0123456789abcdef0123456789abcdef"
		password = "Pr0xy-s3cret"
	)
	standIn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+sid+"/Messages.json" || r.ParseForm() != nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		cb := r.PostForm.Get("StatusCallback")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 21609, "status": 400,
			"message": "Invalid StatusCallback URL " + cb + " (" + url.QueryEscape(cb) + ")"})
	}))
	t.Cleanup(standIn.Close)
	p, err := twilio.New(twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: "https://proxy:" + password + "@texts.example.org",
		APIURL: standIn.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	var logs testlog.Buffer
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(&logs).Level(zerolog.DebugLevel)})
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	a := b.Assigned[0]
	// The provider's own error for this create, handed to the dispatcher
	// as the fixture's provider answers it.
	_, sendErr := p.Send(context.Background(), sms.Outbound{From: "+12025550100", To: a.Phone, Body: "Hi"})
	if sendErr == nil {
		t.Fatal("the stand-in's refusal was taken as sent")
	}
	f.faults.failSends(a.Phone, sendErr)
	res, msgID := sendInitial(t, c, a.ContactID)
	wantApplied(t, res)
	f.drain()
	m := messageStatus(t, f, msgID)
	if !strings.Contains(m.Error, "https://proxy:xxxxx@texts.example.org") {
		t.Fatalf("the failed text's error %q, want Twilio's words naming the URL without its password", m.Error)
	}
	for _, secret := range []string{password, url.QueryEscape(password)} {
		if strings.Contains(m.Error, secret) {
			t.Errorf("the failed text's error holds the public URL's password: %q", m.Error)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds the public URL's password:\n%s", logs.String())
		}
	}
	if !strings.Contains(logs.String(), "21609") {
		t.Errorf("the log does not name Twilio's refusal:\n%s", logs.String())
	}
}
