package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/twilio"
)

func standIn(t *testing.T) *twilioNet {
	t.Helper()
	nw, err := newTwilioNet()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nw.close)
	return nw
}

func provider(t *testing.T, nw *twilioNet, token string) *twilio.Provider {
	t.Helper()
	p, err := twilio.New(twilio.Config{AccountSID: nw.sid, AuthToken: token, PublicURL: nw.public, APIURL: nw.url, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTwilioStandInWithRealClient: textbankd's Twilio provider (twilio-go)
// creates and looks texts up at the stand-in, which counts each create; a
// wrong token is refused and counts nothing.
func TestTwilioStandInWithRealClient(t *testing.T) {
	nw := standIn(t)
	p := provider(t, nw, nw.token)
	ctx := context.Background()
	m := sms.Outbound{From: "+12025550100", To: "+12125550101", Body: "Hi Ann, will you vote?"}
	before := time.Now().Add(-time.Minute)
	sid, err := p.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if texts, copies := nw.unasked(nil); !nw.issued(sid) || nw.timesSent(m.From, m.To, m.Body) != 1 || texts != 1 || copies != 0 {
		t.Fatalf("after one send: issued %v, times %d, unasked %d+%d", nw.issued(sid), nw.timesSent(m.From, m.To, m.Body), texts, copies)
	}
	found, err := p.Lookup(ctx, m, before)
	if err != nil || len(found) != 1 || found[0].ProviderID != sid {
		t.Fatalf("lookup = %+v, %v; want the one text %s", found, err, sid)
	}
	other := m
	other.Body = "something else"
	if found, err := p.Lookup(ctx, other, before); err != nil || len(found) != 0 {
		t.Fatalf("lookup of a text never sent = %+v, %v", found, err)
	}
	if _, err := p.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	if n := nw.timesSent(m.From, m.To, m.Body); n != 2 {
		t.Fatalf("a text created twice counts %d, want 2", n)
	}
	// Unasked and sent twice: one text no volunteer was told was accepted,
	// and one copy (--servers once counted it as two unaccepted texts and
	// no duplicate). Accepted, it is the accepted text's check to count.
	if texts, copies := nw.unasked(nil); texts != 1 || copies != 1 {
		t.Fatalf("unasked text created twice: %d unaccepted, %d duplicated; want 1 and 1", texts, copies)
	}
	if texts, copies := nw.unasked(map[string]bool{wordsKey(m.From, m.To, m.Body): true}); texts != 0 || copies != 0 {
		t.Fatalf("accepted text counted as unasked: %d, %d", texts, copies)
	}

	_, err = provider(t, nw, "ffffffffffffffffffffffffffffffff").Send(ctx, m)
	var se *sms.Error
	if !errors.As(err, &se) || se.Code != "20003" || se.Unsure || se.Retry {
		t.Fatalf("wrong token: err = %#v, want Twilio's 20003, final", err)
	}
	if n := nw.timesSent(m.From, m.To, m.Body); n != 2 {
		t.Fatalf("a refused create was counted: %d creates", n)
	}
}

type received struct {
	mu  sync.Mutex
	got []sms.Inbound
}

func (r *received) Receive(_ context.Context, m sms.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return nil
}

// TestWebhooksSignedAndFailOver: the stand-in's replies pass textbankd's
// signature check (the real handler, same public URL), a server that is
// gone is skipped for the next one, and a server that checks another
// token refuses them without a retry elsewhere.
func TestWebhooksSignedAndFailOver(t *testing.T) {
	nw := standIn(t)
	var rcv received
	wh := &twilio.Webhooks{AuthToken: nw.token, PublicURL: nw.public, Receiver: &rcv, Log: zerolog.Nop()}
	live := httptest.NewServer(wh.Handler())
	defer live.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // connection refused from now on

	h := &webhooks{net: nw, servers: []string{gone.URL, live.URL}, client: &http.Client{Timeout: 5 * time.Second}}
	ctx := context.Background()
	for i, id := range []string{"SM10ad0000000000000000000000000001", "SM10ad0000000000000000000000000002", "SM10ad0000000000000000000000000003"} {
		if err := h.Receive(ctx, sms.Inbound{ProviderID: id, From: "+12125550101", To: "+12025550100", Body: "yes"}); err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
	}
	if len(rcv.got) != 3 || rcv.got[0].Body != "yes" || rcv.got[2].ProviderID != "SM10ad0000000000000000000000000003" {
		t.Fatalf("the server received %+v", rcv.got)
	}

	strict := &twilio.Webhooks{AuthToken: "0123456789abcdef0123456789abcdef", PublicURL: nw.public, Receiver: &rcv, Log: zerolog.Nop()}
	var hits int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		strict.Handler().ServeHTTP(w, r)
	}))
	defer other.Close()
	h.servers = []string{other.URL}
	err := h.Receive(ctx, sms.Inbound{ProviderID: "SM10ad0000000000000000000000000009", From: "+12125550101", To: "+12025550100", Body: "yes"})
	if err == nil {
		t.Fatal("a server with another token took the reply")
	}
	if len(rcv.got) != 3 || hits != 1 {
		t.Fatalf("a refused reply was tried %d times (want 1) and %d received (want 3)", hits, len(rcv.got))
	}
}

// TestReplyIdsAreMessageIds: a run's reply ids are Twilio-shaped, or the
// inbound webhook refuses them.
func TestReplyIdsAreMessageIds(t *testing.T) {
	for _, run := range []string{"000001", "987654"} {
		id := fmt.Sprintf("%s%08d", replyPrefix(run), 12345678)
		if !regexp.MustCompile(`^SM[0-9a-f]{32}$`).MatchString(id) {
			t.Fatalf("reply id %q is not SM and 32 hex digits", id)
		}
	}
}

// TestTwilioStandInAccountFetch is a table of raw requests: the stand-in
// answers Fetch Account as Twilio documents it (200 with the account, its
// status and, as Twilio does, its auth token; 401 and 20003 with a Basic
// challenge for a wrong or missing token; 404 for another account), and
// the real twilio-go client's CheckAccount reads those answers.
func TestTwilioStandInAccountFetch(t *testing.T) {
	nw := standIn(t)
	own := "/2010-04-01/Accounts/" + nw.sid + ".json"
	tests := []struct {
		name, method, path, user, pass string
		status, code                   int
		want                           map[string]any
	}{
		{"own account", "GET", own, nw.sid, nw.token, 200, 0,
			map[string]any{"sid": nw.sid, "status": "active", "auth_token": nw.token, "owner_account_sid": nw.sid, "type": "Full"}},
		{"wrong token", "GET", own, nw.sid, "ffffffffffffffffffffffffffffffff", 401, 20003, map[string]any{"message": "Authenticate"}},
		{"no credentials", "GET", own, "", "", 401, 20003, nil},
		{"another account", "GET", "/2010-04-01/Accounts/AC00000000000000000000000000000000.json", nw.sid, nw.token, 404, 20404, nil},
		{"not a read", "POST", own, nw.sid, nw.token, 405, 20004, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, nw.url+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.user != "" {
				req.SetBasicAuth(tc.user, tc.pass)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%s %s: %d %s; want %d JSON", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status)
			}
			if tc.code != 0 && body["code"] != float64(tc.code) {
				t.Errorf("code %v, want %d: %v", body["code"], tc.code, body)
			}
			if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("a 401 without a Basic challenge")
			}
			for k, v := range tc.want {
				if body[k] != v {
					t.Errorf("%s = %v, want %v", k, body[k], v)
				}
			}
		})
	}

	ctx := context.Background()
	if acc, err := provider(t, nw, nw.token).CheckAccount(ctx); err != nil || acc.Status != "active" || acc.SID != nw.sid {
		t.Fatalf("CheckAccount with the stand-in's token: %+v, %v", acc, err)
	}
	if _, err := provider(t, nw, "ffffffffffffffffffffffffffffffff").CheckAccount(ctx); !errors.Is(err, twilio.ErrCredentialsRefused) {
		t.Fatalf("CheckAccount with a wrong token: %v, want ErrCredentialsRefused", err)
	}
}

// TestTwilioStandInListsReplies: the stand-in keeps every reply, whether
// its webhook reached a server or not, and lists a number's replies to the
// real provider's ListInbound as Twilio does: direction inbound, newest
// first, at or after DateSent>, over pages linked by next_page_uri; a
// retried webhook is one text, and our own texts from the number are not
// replies. A list whose pages cannot hold every reply since says so.
func TestTwilioStandInListsReplies(t *testing.T) {
	nw := standIn(t)
	p := provider(t, nw, nw.token)
	ctx := context.Background()
	ours := "+12025550100"
	if _, err := p.Send(ctx, sms.Outbound{From: ours, To: "+12125550101", Body: "Hi"}); err != nil {
		t.Fatal(err)
	}
	gone := &webhooks{net: nw, servers: []string{"http://127.0.0.1:9"}, client: &http.Client{Timeout: time.Second}}
	start := time.Now().Add(-time.Hour)
	const n = 1203 // past one page of 1000
	for i := range n {
		m := sms.Inbound{ProviderID: fmt.Sprintf("SM%032x", i), From: "+12125550101", To: ours, Body: "reply", ReceivedAt: start.Add(time.Duration(i) * time.Second)}
		if err := gone.Receive(ctx, m); err == nil {
			t.Fatal("a reply reached no server, yet Receive said delivered")
		}
		if i == 0 {
			_ = gone.Receive(ctx, m) // Twilio's retry: the same text
		}
	}
	_ = gone.Receive(ctx, sms.Inbound{ProviderID: fmt.Sprintf("SM%032x", n), From: "+12125550101", To: "+12025550177", Body: "another number"})
	got, cut, err := p.ListInbound(ctx, ours, start, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || cut {
		t.Fatalf("listed %d replies (cut short: %v), want %d, all", len(got), cut, n)
	}
	if got[0].ProviderID != fmt.Sprintf("SM%032x", n-1) || got[n-1].ProviderID != fmt.Sprintf("SM%032x", 0) {
		t.Fatalf("listed %s first and %s last, want the newest first", got[0].ProviderID, got[n-1].ProviderID)
	}
	if got[0].From != "+12125550101" || got[0].To != ours || got[0].Body != "reply" || !got[0].ReceivedAt.Equal(start.Add((n-1)*time.Second).Truncate(time.Second)) {
		t.Fatalf("listed %+v, want the reply as received", got[0])
	}
	if later, cut, err := p.ListInbound(ctx, ours, start.Add(1000*time.Second), 5); err != nil || len(later) != n-1000 || cut {
		t.Fatalf("since 1000 s in: %d replies (cut short: %v, %v), want %d", len(later), cut, err, n-1000)
	}
	if one, cut, err := p.ListInbound(ctx, ours, start, 1); err != nil || len(one) != 1000 || !cut ||
		one[999].ProviderID != fmt.Sprintf("SM%032x", n-1000) {
		t.Fatalf("one page of %d: %d replies (cut short: %v, %v), want the newest 1000, cut short", n, len(one), cut, err)
	}
	// Exactly a page's worth since: all of them, not cut short.
	if page, cut, err := p.ListInbound(ctx, ours, start.Add((n-1000)*time.Second), 1); err != nil || len(page) != 1000 || cut {
		t.Fatalf("one page of 1000: %d replies (cut short: %v, %v), want 1000, all", len(page), cut, err)
	}
}
