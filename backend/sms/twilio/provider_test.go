package twilio

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

func TestSendThroughTwilioGo(t *testing.T) {
	f := newFakeTwilio(t)
	p := f.provider(t)
	ctx := context.Background()
	id, err := p.Send(ctx, sms.Outbound{From: "+12025550100", To: "+12125550101", Body: "Hi Ada", IdempotencyKey: "m1"})
	if err != nil {
		t.Fatal(err)
	}
	got := f.stored()
	if len(got) != 1 || got[0]["sid"] != id || got[0]["body"] != "Hi Ada" ||
		got[0]["status_callback"] != "https://texts.example.org/webhooks/twilio/status" {
		t.Fatalf("twilio got %+v, sid %s", got, id)
	}
}

func TestSendErrors(t *testing.T) {
	f := newFakeTwilio(t)
	p := f.provider(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		to         string
		e          fakeError
		wantCode   string
		retry      bool
		unsure     bool
		wantStored bool
	}{
		{"invalid number is final", "+12125550201", fakeError{status: 400, code: 21211, message: "Invalid 'To' Phone Number"}, "21211", false, false, false},
		{"unsubscribed is final", "+12125550202", fakeError{status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient"}, "21610", false, false, false},
		{"bad credentials are final", "+12125550203", fakeError{status: 401, code: 20003, message: "Authenticate"}, "20003", false, false, false},
		{"rate limited is retried", "+12125550204", fakeError{status: 429, code: 20429, message: "Too Many Requests"}, "20429", true, false, false},
		{"server error is looked up", "+12125550205", fakeError{status: 500, code: 20500, message: "Internal Server Error", created: true}, "20500", false, true, true},
		{"timeout is looked up", "+12125550206", fakeError{status: 201, hang: time.Second, created: true}, "", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.errorsFor[tt.to] = []fakeError{tt.e}
			m := sms.Outbound{From: "+12025550100", To: tt.to, Body: "Hello " + tt.to}
			_, err := p.Send(ctx, m)
			var se *sms.Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *sms.Error", err)
			}
			if se.Code != tt.wantCode || se.Retry != tt.retry || se.Unsure != tt.unsure {
				t.Fatalf("err = %+v, want code %q retry %v unsure %v", se, tt.wantCode, tt.retry, tt.unsure)
			}
			found, err := p.Lookup(ctx, m, time.Now().Add(-time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if (len(found) == 1) != tt.wantStored {
				t.Fatalf("lookup found %+v, want stored %v", found, tt.wantStored)
			}
		})
	}
}

func TestLookupMatchesBodyAndTime(t *testing.T) {
	f := newFakeTwilio(t)
	p := f.provider(t)
	ctx := context.Background()
	m := sms.Outbound{From: "+12025550100", To: "+12125550301", Body: "Will you vote?"}
	id, err := p.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Send(ctx, sms.Outbound{From: m.From, To: m.To, Body: "Something else"}); err != nil {
		t.Fatal(err)
	}
	found, err := p.Lookup(ctx, m, time.Now().Add(-time.Minute))
	if err != nil || len(found) != 1 || found[0].ProviderID != id {
		t.Fatalf("lookup = %+v, %v; want only %s", found, err, id)
	}
	if found, _ := p.Lookup(ctx, m, time.Now().Add(time.Hour)); len(found) != 0 {
		t.Fatalf("lookup after the text found %+v", found)
	}
	if found, _ := p.Lookup(ctx, sms.Outbound{From: "+12025550199", To: m.To, Body: m.Body}, time.Time{}); len(found) != 0 {
		t.Fatalf("lookup from another number found %+v", found)
	}
	bad, _ := New(Config{AccountSID: testSID, AuthToken: "ffffffffffffffffffffffffffffffff", PublicURL: "https://x.org", APIURL: f.ts.URL})
	if _, err := bad.Lookup(ctx, m, time.Time{}); err == nil {
		t.Fatal("lookup with a wrong token says nothing is there instead of failing")
	}
}

// TestBadCredentialsTellTheOperator: a text refused because Twilio does
// not accept the server's SID and token (401, 20003 "Authenticate") says
// so on the failed text, which volunteers and admins read, for the
// operator; "Authenticate" alone reads as the volunteer's sign-in.
func TestBadCredentialsTellTheOperator(t *testing.T) {
	f := newFakeTwilio(t)
	p := f.provider(t)
	to := "+12125550299"
	f.errorsFor[to] = []fakeError{{status: 401, code: 20003, message: "Authenticate"}}
	_, err := p.Send(context.Background(), sms.Outbound{From: "+12025550100", To: to, Body: "Hello"})
	var se *sms.Error
	if !errors.As(err, &se) || se.Code != "20003" || se.Retry || se.Unsure {
		t.Fatalf("err = %+v, want a final 20003", err)
	}
	for _, want := range []string{"account SID and auth token", "--twilio-account-sid", "operator"} {
		if !strings.Contains(se.Message, want) {
			t.Errorf("message %q lacks %q", se.Message, want)
		}
	}
}

// TestSendAndLookupHeedTheirContext: twilio-go takes no context, yet a
// call the dispatcher gives up on (its claim on the text ended) stops when
// its context does, not at the client's timeout, and a send so stopped is
// unsure: the text may have reached Twilio, so it is looked up first.
func TestSendAndLookupHeedTheirContext(t *testing.T) {
	f := newFakeTwilio(t)
	p, err := New(Config{AccountSID: testSID, AuthToken: testToken, PublicURL: "https://texts.example.org",
		APIURL: f.ts.URL, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// Twilio holds each call 30 s; a call that heeds its context stops
	// after 100 ms. The bound between (10 s) leaves a loaded machine room
	// and still fails a call that waits for Twilio (or the client's timeout).
	const heeded = 10 * time.Second
	m := sms.Outbound{From: "+12025550100", To: "+12125550207", Body: "Hello"}
	f.errorsFor[m.To] = []fakeError{{status: 201, hang: 30 * time.Second, created: true}}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.Send(ctx, m)
	var se *sms.Error
	if took := time.Since(start); took > heeded || !errors.As(err, &se) || !se.Unsure || se.Retry {
		t.Fatalf("a send given up after 100 ms: %v (%+v) after %v; want unsure, at once", err, se, took)
	}
	f.mu.Lock()
	f.listHang = 30 * time.Second
	f.mu.Unlock()
	lctx, lcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer lcancel()
	start = time.Now()
	if _, err := p.Lookup(lctx, m, time.Now().Add(-time.Minute)); err == nil || time.Since(start) > heeded {
		t.Fatalf("a lookup given up after 100 ms: %v after %v; want an error, at once", err, time.Since(start))
	}
}

// TestUnreachableTwilioNamesNoNumber: a call that gets no answer fails
// with the transport's words but not its request URL, which holds the
// account SID and, for a lookup, both phone numbers: the error is logged
// at error level and kept on the text volunteers and admins read.
func TestUnreachableTwilioNamesNoNumber(t *testing.T) {
	f := newFakeTwilio(t)
	p := f.provider(t)
	f.ts.Close() // nothing answers at the API URL any more
	m := sms.Outbound{From: "+12025550100", To: "+12125550208", Body: "Hello"}
	_, sendErr := p.Send(context.Background(), m)
	_, lookErr := p.Lookup(context.Background(), m, time.Now().Add(-time.Minute))
	for what, err := range map[string]error{"send": sendErr, "lookup": lookErr} {
		if err == nil {
			t.Fatalf("%s with Twilio unreachable succeeded", what)
		}
		for _, secretish := range []string{m.To, url.QueryEscape(m.To), m.From, url.QueryEscape(m.From), testSID} {
			if strings.Contains(err.Error(), secretish) {
				t.Errorf("%s error %q names %q", what, err, secretish)
			}
		}
	}
	var se *sms.Error
	if !errors.As(sendErr, &se) || !se.Unsure {
		t.Errorf("send error %+v, want an unsure *sms.Error", sendErr)
	}
}

// TestSendErrorHidesPublicURLPassword: with a public URL holding a proxy's
// basic-auth password, which every create sends Twilio in its
// StatusCallback, a refusal whose message repeats that URL (as given and
// form-escaped) leaves the package without the password: the error is
// logged and kept on the failed text for volunteers and admins. The URL is
// still shown, as ShownURL shows it.
func TestSendErrorHidesPublicURLPassword(t *testing.T) {
	f := newFakeTwilio(t)
	const password = "S3cret/pa55@word"
	public := "https://proxy:" + url.QueryEscape(password) + "@texts.example.org"
	p, err := New(Config{AccountSID: testSID, AuthToken: testToken, PublicURL: public, APIURL: f.ts.URL, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		e    fakeError
	}{
		{"final", fakeError{status: 400, code: 21609, message: "Invalid StatusCallback URL", echoCallback: true}},
		{"retried", fakeError{status: 429, code: 20429, message: "Too Many Requests for", echoCallback: true}},
		{"unsure", fakeError{status: 500, code: 20500, message: "Internal Server Error with", echoCallback: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			to := "+121255503" + strconv.Itoa(10+tt.e.status%90)
			f.errorsFor[to] = []fakeError{tt.e}
			_, err := p.Send(context.Background(), sms.Outbound{From: "+12025550100", To: to, Body: "Hi"})
			var se *sms.Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *sms.Error", err)
			}
			for _, secret := range []string{password, url.QueryEscape(password), url.PathEscape(password), url.QueryEscape(url.QueryEscape(password))} {
				if strings.Contains(se.Message, secret) || strings.Contains(err.Error(), secret) {
					t.Fatalf("Twilio's error leaves the package with the public URL's password %q: %q", secret, err)
				}
			}
			if !strings.Contains(se.Message, "https://proxy:xxxxx@texts.example.org/webhooks/twilio/status") {
				t.Fatalf("error %q, want the callback URL shown without its password", se.Message)
			}
		})
	}
}
