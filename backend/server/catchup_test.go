package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/twilio"
)

const (
	catchSID   = "AC0123456789abcdef0123456789abcdef"
	catchToken = "0123456789abcdef0123456789abcdef"
)

// rawTwilio answers Twilio's List Message and List Media with the raw
// pages given, keyed by Page (absent: "0") and by message SID for media;
// it records the queries it was asked. fail answers every list 500.
type rawTwilio struct {
	mu      sync.Mutex
	pages   map[string]string
	media   map[string]string
	queries []string
	fail    bool
}

// set replaces the pages, as Twilio's list changes.
func (r *rawTwilio) set(pages map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pages = pages
}

// asked is the queries the list was asked so far.
func (r *rawTwilio) asked() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.queries)
}

func (r *rawTwilio) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	prefix := "/2010-04-01/Accounts/" + catchSID + "/Messages"
	if sid, ok := strings.CutPrefix(req.URL.Path, prefix+"/"); ok {
		if body, ok := r.media[strings.TrimSuffix(sid, "/Media.json")]; ok {
			_, _ = w.Write([]byte(body))
			return
		}
	}
	if req.URL.Path != prefix+".json" || req.Method != http.MethodGet {
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"code":20404,"message":"not found","status":404}`))
		return
	}
	r.queries = append(r.queries, req.URL.RawQuery)
	if r.fail {
		w.WriteHeader(500)
		_, _ = w.Write([]byte(`{"code":20500,"message":"Internal Server Error","status":500}`))
		return
	}
	page := req.URL.Query().Get("Page")
	if page == "" {
		page = "0"
	}
	_, _ = w.Write([]byte(r.pages[page]))
}

// twilioMsg is one message as Twilio's list shows it.
func twilioMsg(sid, from, to, body, direction string, sent time.Time, media int) map[string]any {
	return map[string]any{"sid": sid, "account_sid": catchSID, "from": from, "to": to, "body": body,
		"direction": direction, "status": "received", "num_media": itoa(media),
		"date_sent": sent.Format(time.RFC1123Z), "date_created": sent.Format(time.RFC1123Z),
		"uri": "/2010-04-01/Accounts/" + catchSID + "/Messages/" + sid + ".json"}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func page(next string, msgs ...map[string]any) string {
	v := map[string]any{"messages": msgs, "page": 0, "page_size": 1000, "next_page_uri": nil}
	if next != "" {
		v["next_page_uri"] = next
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestCatchUpInbound: at start, a Twilio server lists the texts Twilio
// received for its numbers and stores them through the webhook's path.
// Each case is the stand-in's raw answers; without the catch-up nothing
// of these is stored.
func TestCatchUpInbound(t *testing.T) {
	sid := func(n int) string { return "SM" + strings.Repeat("0", 31) + itoa(n) }
	type want struct {
		found, new int
		inThread   []string // SIDs stored in the contact's conversation
		absent     []string // SIDs stored nowhere as a message
		optedOut   bool
		body       map[string]string // SID -> a part of its stored body
	}
	tests := []struct {
		name   string
		stored []string // SIDs the webhook delivered before
		pages  func(from, to string, at time.Time) map[string]string
		media  map[string]string
		want   want
	}{
		{"empty", nil, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("")}
		}, nil, want{}},
		{"one page", nil, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("", twilioMsg(sid(1), from, to, "Yes, I'll vote", "inbound", at, 0))}
		}, nil, want{found: 1, new: 1, inThread: []string{sid(1)}}},
		{"two pages", nil, func(from, to string, at time.Time) map[string]string {
			next := "/2010-04-01/Accounts/" + catchSID + "/Messages.json?To=" + strings.ReplaceAll(to, "+", "%2B") + "&PageSize=1000&Page=1&PageToken=PAx"
			return map[string]string{
				"0": page(next, twilioMsg(sid(2), from, to, "second", "inbound", at, 0)),
				"1": page("", twilioMsg(sid(1), from, to, "first", "inbound", at.Add(-time.Minute), 0)),
			}
		}, nil, want{found: 2, new: 2, inThread: []string{sid(1), sid(2)}}},
		{"already stored", []string{sid(1)}, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("", twilioMsg(sid(1), from, to, "Yes, I'll vote", "inbound", at, 0))}
		}, nil, want{found: 1, new: 0, inThread: []string{sid(1)}}},
		{"outbound skipped", nil, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("", twilioMsg(sid(3), from, to, "Hi from us", "outbound-api", at, 0))}
		}, nil, want{absent: []string{sid(3)}}},
		{"STOP opts out", nil, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("", twilioMsg(sid(4), from, to, "STOP", "inbound", at, 0))}
		}, nil, want{found: 1, new: 1, inThread: []string{sid(4)}, optedOut: true}},
		{"number no campaign has", nil, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("", twilioMsg(sid(5), from, "+12025550199", "hello?", "inbound", at, 0))}
		}, nil, want{found: 1, absent: []string{sid(5)}}},
		{"media only", nil, func(from, to string, at time.Time) map[string]string {
			return map[string]string{"0": page("", twilioMsg("MM"+sid(6)[2:], from, to, "", "inbound", at, 1))}
		}, map[string]string{"MM" + sid(6)[2:]: `{"media_list":[{"sid":"ME1","content_type":"image/jpeg","uri":"/2010-04-01/Accounts/` + catchSID + `/Messages/MM` + sid(6)[2:] + `/Media/ME1.json"}],"next_page_uri":null}`},
			want{found: 1, new: 1, inThread: []string{"MM" + sid(6)[2:]}, body: map[string]string{"MM" + sid(6)[2:]: "/Media/ME1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t)
			cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
			_, assigned, ours := texted(t, f, cf, 1)
			contact := assigned[0]
			for _, s := range tt.stored {
				if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: s, From: contact.Phone, To: ours, Body: "Yes, I'll vote"}); err != nil {
					t.Fatal(err)
				}
			}
			raw := &rawTwilio{pages: tt.pages(contact.Phone, ours, f.clock.Now().Add(-time.Hour)), media: tt.media}
			ts := httptest.NewServer(http.HandlerFunc(raw.serve))
			t.Cleanup(ts.Close)
			p, err := twilio.New(twilio.Config{AccountSID: catchSID, AuthToken: catchToken, PublicURL: "https://texts.example.org",
				APIURL: ts.URL, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.srv.CatchUpInbound(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if res.Found != tt.want.found || res.New != tt.want.new {
				t.Fatalf("found %d, new %d; want %d, %d", res.Found, res.New, tt.want.found, tt.want.new)
			}
			if len(raw.queries) == 0 || !strings.Contains(raw.queries[0], "DateSent%3E=") || !strings.Contains(raw.queries[0], "To=") {
				t.Fatalf("the list was asked %q, want To= and DateSent>=", raw.queries)
			}
			_ = f.st.View(ctx, func(tx store.Tx) error {
				for _, s := range tt.want.inThread {
					m, err := tx.MessageByProviderID(ctx, s)
					if err != nil || m.ThreadID != contact.ContactID || m.Direction != api.DirInbound {
						t.Errorf("%s: %+v, %v; want an inbound text in the contact's conversation", s, m, err)
					}
					if part := tt.want.body[s]; part != "" {
						media, err := tx.MessageMedia(ctx, m.ID)
						if err != nil || len(media) != 1 || !strings.HasPrefix(media[0], "http") || !strings.HasSuffix(media[0], part) {
							t.Errorf("%s stored the pictures %q (%v), want one URL ending %q", s, media, err, part)
						}
					}
				}
				for _, s := range tt.want.absent {
					if _, err := tx.MessageByProviderID(ctx, s); !errors.Is(err, store.ErrNotFound) {
						t.Errorf("%s stored (%v), want nothing", s, err)
					}
				}
				out, err := tx.IsOptedOut(ctx, cf.campaign.OrganizationID, contact.Phone)
				if err != nil || out != tt.want.optedOut {
					t.Errorf("opted out = %v (%v), want %v", out, err, tt.want.optedOut)
				}
				return nil
			})
			// Again, as a second server on the same store would: nothing new.
			if again, err := f.srv.CatchUpInbound(ctx, p); err != nil || again.New != 0 {
				t.Fatalf("a second catch-up stored %d new (%v), want none", again.New, err)
			}
		})
	}
}

// TestCatchUpTwoAtOnce: two servers starting together on one store (on
// PostgreSQL, several behind a proxy) catch up on the same texts at the
// same moment: each text is stored once, between them, and neither fails.
func TestCatchUpTwoAtOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 4, numbers: 1})
	_, assigned, ours := texted(t, f, cf, 3)
	at := f.clock.Now().Add(-time.Hour)
	var msgs []map[string]any
	for i, a := range assigned {
		msgs = append(msgs, twilioMsg("SM"+strings.Repeat("0", 31)+itoa(i), a.Phone, ours, "Yes "+itoa(i), "inbound", at, 0))
	}
	msgs = append(msgs, twilioMsg("SM"+strings.Repeat("f", 32), "+14155550123", ours, "STOP", "inbound", at, 0))
	raw := &rawTwilio{pages: map[string]string{"0": page("", msgs...)}}
	ts := httptest.NewServer(http.HandlerFunc(raw.serve))
	t.Cleanup(ts.Close)
	p, err := twilio.New(twilio.Config{AccountSID: catchSID, AuthToken: catchToken, PublicURL: "https://texts.example.org",
		APIURL: ts.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := f.second()
	var wg sync.WaitGroup
	results := make([]server.CatchUpResult, 2)
	errs := make([]error, 2)
	for i, s := range []*server.Server{f.srv, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = s.CatchUpInbound(ctx, p)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("catch-ups failed: %v, %v", errs[0], errs[1])
	}
	if n := results[0].New + results[1].New; n != len(msgs) {
		t.Fatalf("the two stored %d + %d new, want %d between them", results[0].New, results[1].New, len(msgs))
	}
}
