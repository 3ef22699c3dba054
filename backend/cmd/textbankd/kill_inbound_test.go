package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/killtest"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// The inbound webhook's promise: a reply Twilio delivered is stored, and
// stored once, however often Twilio delivers it (it retries a webhook that
// got no answer, and a proxy may retry one that did). These tests run a
// real textbankd with --provider twilio, post signed inbound webhooks to
// it (replies in conversations, STOPs, texts no conversation claims) and
// kill it with SIGKILL at random moments; every webhook that got no 2xx
// is delivered again to the next server, as Twilio would, and some that
// did are delivered again too, before the kill and after the restart.
// Afterwards every MessageSid posted is stored exactly once (a reply in
// its conversation or an unroutable text), every STOP answered opted its
// number out, and no row points at nothing.

const (
	inboundSID   = "AC0123456789abcdef0123456789abcdef"
	inboundToken = "f00dfeedcafe5eedf00dfeedcafe5eed"
	inboundURL   = "https://texts.example.org"
	// ourNumber is the first of seedKillCampaign's sending numbers, the
	// one the seeded conversations were texted from.
	ourNumber = "+12025550100"
)

func TestKillDuringInboundWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	killDuringInbound(t, killDB{dir: t.TempDir()}, 12)
}

// TestPostgresKillDuringInboundWebhooks is the same on PostgreSQL, where a
// reply's statements ride in one batch with its COMMIT (pipeline.go).
func TestPostgresKillDuringInboundWebhooks(t *testing.T) {
	url := pgtest.MigratedURL(t)
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	killDuringInbound(t, killDB{dir: t.TempDir(), url: url}, 8)
}

// webhookText is one inbound text as Twilio would post it.
type webhookText struct {
	sid, from, body string
}

func killDuringInbound(t *testing.T, k killDB, rounds int) {
	bin := textbankdBinary(t)
	actionID := seedKillCampaign(t, k, 10)
	replied := seedTextedThreads(t, k, actionID, 40)
	rng := rand.New(rand.NewPCG(11, 11))
	next := 0
	newText := func() webhookText {
		next++
		in := webhookText{sid: fmt.Sprintf("SM%032x", next), body: "Yes, count me in " + uuid.NewString()}
		switch {
		case next%5 == 0: // nobody texted this number from ours
			in.from = fmt.Sprintf("+1415555%04d", next%97)
		case next%11 == 0:
			in.from, in.body = replied[next%len(replied)], "STOP"
		default:
			in.from = replied[next%len(replied)]
		}
		return in
	}
	args := append(k.serveArgs(), "--provider", "twilio", "--log-level", "error", "--twilio-account-sid", inboundSID,
		"--public-url", inboundURL, "--twilio-api-url", "http://127.0.0.1:9") // unreachable: a warning at start
	env := []string{"TEXTBANK_TWILIO_AUTH_TOKEN=" + inboundToken}

	var mu sync.Mutex
	posted := map[string]webhookText{} // every text posted at least once
	answered := map[string]bool{}      // answered 2xx at least once
	var owed []webhookText             // to deliver again to the next server
	take := func() webhookText {
		mu.Lock()
		defer mu.Unlock()
		if len(owed) > 0 && rng.IntN(2) == 0 {
			in := owed[0]
			owed = owed[1:]
			return in
		}
		in := newText()
		posted[in.sid] = in
		return in
	}
	// roll draws from rng for the posting goroutines and the kill's
	// timing alike: one source, under mu (take and note hold it already).
	roll := func(n int) int {
		mu.Lock()
		defer mu.Unlock()
		return rng.IntN(n)
	}
	var answers int // webhooks the servers answered 2xx, for the kills' proof of progress
	var seen inboundSeen
	note := func(in webhookText, ok, twice bool) {
		mu.Lock()
		defer mu.Unlock()
		if ok {
			answers++
			seen.note(in, answered[in.sid], twice)
		}
		switch {
		case !ok:
			owed = append(owed, in)
		case rng.IntN(8) == 0:
			answered[in.sid] = true
			owed = append(owed, in) // a retry that comes after a restart
		default:
			answered[in.sid] = true
		}
	}
	took := func() int {
		mu.Lock()
		defer mu.Unlock()
		return answers
	}
	missing := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return seen.missing()
	}
	for round := range rounds {
		from := took()
		proc, base := startServeProc(t, bin, env, os.Stderr, args...)
		client := &http.Client{Timeout: 5 * time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					in := take()
					ok := postInbound(ctx, client, base, in)
					twice := ok && roll(4) == 0 && postInbound(ctx, client, base, in) // delivered twice at once
					note(in, ok, twice)
				}
			}()
		}
		idle := make(chan struct{})
		go func() { wg.Wait(); close(idle) }()
		time.Sleep(time.Duration(100+roll(400)) * time.Millisecond)
		// Not before this server answered a webhook: killed before, it
		// cut nothing the last had not. The last kill also waits until
		// the servers took each kind of webhook the checks below check,
		// however slowly a loaded machine posts.
		last := round == rounds-1
		err := killtest.AwaitProgress(func() bool { return took() > from && (!last || len(missing()) == 0) }, idle)
		if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = proc.Wait()
		cancel()
		<-idle
		if took() == from {
			t.Fatalf("round %d: the server answered no webhook (%v)", round, err)
		}
		if m := missing(); last && len(m) > 0 {
			t.Fatalf("the servers answered no %s in %d rounds (%v)", strings.Join(m, ", no "), rounds, err)
		}
	}
	// A last server takes every text still owed.
	proc, base := startServeProc(t, bin, env, os.Stderr, args...)
	defer func() { _ = proc.Process.Signal(syscall.SIGKILL); _ = proc.Wait() }()
	for _, in := range owed {
		if !postInbound(context.Background(), http.DefaultClient, base, in) {
			t.Fatalf("the last server did not take %s", in.sid)
		}
		answered[in.sid] = true
	}
	checkInboundOnce(t, k, posted)
	t.Logf("%d inbound texts (%d owed to a later server) stored once each across %d SIGKILLs; answered %+v", len(posted), len(owed), rounds, seen)
}

// inboundSeen counts the webhooks the servers answered 2xx by what they
// exercise.
type inboundSeen struct {
	replies, stops, unroutable int
	twice                      int // answered twice at once
	again                      int // answered again, after a 2xx before
}

// note counts in, answered 2xx; before is whether it had been already.
func (s *inboundSeen) note(in webhookText, before, twice bool) {
	switch {
	case in.body == "STOP":
		s.stops++
	case !strings.HasPrefix(in.from, "+1303555"): // not one of seedTextedThreads'
		s.unroutable++
	default:
		s.replies++
	}
	if twice {
		s.twice++
	}
	if before {
		s.again++
	}
}

// missing names the kinds of webhook not yet answered.
func (s *inboundSeen) missing() []string {
	var m []string
	for _, k := range []struct {
		n    int
		what string
	}{{s.replies, "reply"}, {s.stops, "STOP"}, {s.unroutable, "text no conversation claims"},
		{s.twice, "webhook delivered twice at once"}, {s.again, "webhook delivered again after a 2xx"}} {
		if k.n == 0 {
			m = append(m, k.what)
		}
	}
	return m
}

// postInbound posts in to the inbound webhook, signed; true on a 2xx.
func postInbound(ctx context.Context, client *http.Client, base string, in webhookText) bool {
	form := url.Values{"MessageSid": {in.sid}, "AccountSid": {inboundSID}, "From": {in.from}, "To": {ourNumber},
		"Body": {in.body}, "NumMedia": {"0"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+twilio.InboundPath, strings.NewReader(form.Encode()))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilioSign(inboundToken, inboundURL+twilio.InboundPath, form))
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode/100 == 2
}

// seedTextedThreads gives n new contacts of the action a conversation
// whose first text went out from ourNumber, and returns their numbers.
func seedTextedThreads(t *testing.T, k killDB, actionID string, n int) []string {
	t.Helper()
	ctx := context.Background()
	st := k.open(t)
	defer st.Close()
	now := time.Now().UTC().Truncate(time.Microsecond)
	var phones []string
	err := st.Update(ctx, func(tx store.Tx) error {
		owner := store.User{ID: uuid.NewString(), Name: "Owner", Email: "owner@example.org", PasswordHash: "x", CreatedAt: now}
		if err := tx.CreateUser(ctx, owner); err != nil {
			return err
		}
		for i := range n {
			phone := fmt.Sprintf("+1303555%04d", i)
			c := store.Contact{ID: uuid.NewString(), ActionID: actionID, FirstName: fmt.Sprintf("T%d", i), Phone: phone,
				State: store.ContactTexted, AssignedTo: owner.ID, AssignedAt: &now, CreatedAt: now}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			if err := tx.CreateThread(ctx, store.Thread{ID: c.ID, ActionID: actionID, CampaignID: "camp", OrganizationID: "org",
				OwnerID: owner.ID, ContactName: c.FirstName, ContactPhone: phone, SendingNumber: ourNumber,
				LastMessageAt: now, LastOutboundAt: &now, CreatedAt: now}); err != nil {
				return err
			}
			if err := tx.CreateMessage(ctx, store.Message{ID: uuid.NewString(), ThreadID: c.ID, Direction: api.DirOutbound,
				Body: "Hi " + c.FirstName, Status: api.StatusSent, ProviderID: fmt.Sprintf("SMffff%028x", i), Initial: true,
				SenderID: owner.ID, CreatedAt: now, SentAt: &now}); err != nil {
				return err
			}
			phones = append(phones, phone)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return phones
}

// checkInboundOnce checks the database against what was posted: each
// MessageSid stored once, as a reply or an unroutable text, nothing else
// stored, every STOP's number opted out, and no row pointing at nothing.
func checkInboundOnce(t *testing.T, k killDB, posted map[string]webhookText) {
	t.Helper()
	db, arg, err := k.sql()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT provider_id, body FROM messages WHERE direction = 'in'
		UNION ALL SELECT provider_id, body FROM unroutable_messages`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for rows.Next() {
		var sid, body string
		if err := rows.Scan(&sid, &body); err != nil {
			t.Fatal(err)
		}
		stored[sid]++
		if in, ok := posted[sid]; !ok {
			t.Errorf("%s stored but never posted", sid)
		} else if body != in.body {
			t.Errorf("%s stored as %q, posted as %q", sid, body, in.body)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for sid, in := range posted {
		if stored[sid] != 1 {
			t.Errorf("%s (from %s) stored %d times, want 1", sid, in.from, stored[sid])
		}
		if in.body != "STOP" {
			continue
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM opt_outs WHERE organization_id = 'org' AND phone = `+arg, in.from).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s texted STOP (%s) and is not opted out", in.from, sid)
		}
	}
	var dangling int
	if err := db.QueryRow(store.DanglingSQL).Scan(&dangling); err != nil {
		t.Fatal(err)
	}
	if dangling != 0 {
		t.Errorf("%d rows point at rows that are not there (store.DanglingSQL)", dangling)
	}
	if k.url == "" {
		var res string
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
			t.Errorf("integrity_check: %q %v", res, err)
		}
	}
}
