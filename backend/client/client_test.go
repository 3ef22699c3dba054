package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func startDemo(t *testing.T, netw simnet.Config) *demo.Instance {
	t.Helper()
	inst, err := demo.Start(context.Background(), demo.Options{
		Dir: t.TempDir(), Addr: "127.0.0.1:0", Log: zerolog.Nop(), Network: netw, BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = inst.Close(ctx)
	})
	return inst
}

// events records what the client told the window.
type events struct {
	mu  gosync.Mutex
	all []client.Event
}

func (e *events) add(ev client.Event) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
}

func (e *events) named(name string) []client.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []client.Event
	for _, ev := range e.all {
		if ev.Name == name {
			out = append(out, ev)
		}
	}
	return out
}

// signInAndJoin signs the demo volunteer in and joins the demo campaign.
func signInAndJoin(t *testing.T, c *client.Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c.JoinCampaign(ctx, demo.JoinCode); err != nil {
		t.Fatal(err)
	}
}

func newClient(t *testing.T, url, dir string) (*client.Client, *events) {
	t.Helper()
	ev := &events{}
	c, err := client.New(client.Config{DataDir: dir, ServerURL: url, Log: zerolog.Nop(), Notify: ev.add,
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, ev
}

func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNewBadConfig(t *testing.T) {
	cases := map[string]client.Config{
		"no data dir":    {ServerURL: "http://127.0.0.1:1"},
		"no server":      {DataDir: t.TempDir()},
		"not a http url": {DataDir: t.TempDir(), ServerURL: "127.0.0.1:8787"},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := client.New(cfg); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestSignUpBadInput(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	cases := []struct {
		name, user, email, password, wantInMessage string
	}{
		{"empty name", "  ", "new@example.org", "long enough", "name"},
		{"empty email", "Vi", "", "long enough", "email"},
		{"malformed email", "Vi", "vi@", "long enough", "not an email address"},
		{"email without dotted domain", "Vi", "vi@localhost", "long enough", "not an email address"},
		{"short password", "Vi", "vi@example.org", "short", "at least 8 characters"},
		{"email taken (server)", "Vi", demo.VolunteerEmail, "long enough", "already exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SignUp(ctx, tc.user, tc.email, tc.password)
			if err == nil || !strings.Contains(err.Error(), tc.wantInMessage) {
				t.Fatalf("got %v, want a message containing %q", err, tc.wantInMessage)
			}
			if st := c.Status(ctx); st.SignedIn {
				t.Fatal("signed in after a failed sign-up")
			}
		})
	}
	t.Run("good sign-up signs in", func(t *testing.T) {
		u, err := c.SignUp(ctx, " Vi Volunteer ", "VI@example.org", "long enough")
		if err != nil {
			t.Fatal(err)
		}
		st := c.Status(ctx)
		if !st.SignedIn || st.User == nil || st.User.ID != u.ID || u.Email != "vi@example.org" {
			t.Fatalf("status %+v user %+v", st, u)
		}
	})
}

func TestSignInErrors(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	cases := []struct{ name, email, password, want string }{
		{"wrong password", demo.VolunteerEmail, "not the password", ""},
		{"unknown email", "nobody@example.org", "whatever1", ""},
		{"empty password", demo.VolunteerEmail, "", "enter your password"},
		{"bad email", "nope", "whatever1", "not an email address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SignIn(ctx, tc.email, tc.password)
			if err == nil {
				t.Fatal("signed in")
			}
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("message %q lacks %q", err, tc.want)
			}
			if tc.want == "" && !api.IsCode(err, api.CodeBadCredentials) {
				t.Fatalf("want bad_credentials from the server, got %v", err)
			}
			if c.Status(ctx).SignedIn {
				t.Fatal("signed in")
			}
		})
	}
}

func TestUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	c, _ := newClient(t, url, t.TempDir())
	_, err = c.SignIn(context.Background(), "vi@example.org", "whatever1")
	if !errors.Is(err, api.ErrUnreachable) || !strings.Contains(err.Error(), "cannot reach the campaign server at "+url) {
		t.Fatalf("got %v", err)
	}
}

func TestNeedsSignIn(t *testing.T) {
	c, _ := newClient(t, "http://127.0.0.1:1", t.TempDir())
	ctx := context.Background()
	if _, err := c.JoinCampaign(ctx, "123456"); err == nil || !strings.Contains(err.Error(), "sign in") {
		t.Fatalf("join signed out: %v", err)
	}
	if err := c.SendInitial(ctx, "a", "b"); err == nil {
		t.Fatal("send signed out")
	}
	// Reads work signed out (empty).
	if cs, err := c.Campaigns(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("campaigns %v %v", cs, err)
	}
	if _, err := c.Threads(ctx, "starred", "", "", 0, 10); err == nil || !strings.Contains(err.Error(), "starred") {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestJoinErrors(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, code, want string }{
		{"too short", "12345", "exactly 6 digits"},
		{"letters", "12a456", "exactly 6 digits"},
		{"empty", "", "exactly 6 digits"},
		{"unknown code", "999999", "999999"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.JoinCampaign(ctx, tc.code)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if cs, _ := c.Campaigns(ctx); len(cs) != 0 {
				t.Fatalf("campaigns after a failed join: %+v", cs)
			}
		})
	}
}

func TestVolunteerFlow(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	dir := t.TempDir()
	c, ev := newClient(t, inst.URL, dir)
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	camp, err := c.JoinCampaign(ctx, " "+demo.JoinCode+" ")
	if err != nil {
		t.Fatal(err)
	}
	actions, err := c.Actions(ctx, camp.ID)
	if err != nil || len(actions) != 4 || !slices.ContainsFunc(actions, func(a api.Action) bool { return a.ID == inst.Info.ActionID }) {
		t.Fatalf("actions after join %+v %v", actions, err)
	}
	found, err := c.SearchCampaigns(ctx, "Democracy")
	if err != nil || len(found) == 0 {
		t.Fatalf("search %+v %v", found, err)
	}

	q, err := c.Queue(ctx, inst.Info.ActionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) == 0 {
		b, err := c.TextAgain(ctx, inst.Info.ActionID)
		if err != nil || b.Assigned == 0 {
			t.Fatalf("text again: %+v %v", b, err)
		}
		if q, err = c.Queue(ctx, inst.Info.ActionID); err != nil {
			t.Fatal(err)
		}
	}
	if len(q.Items) == 0 || q.Remaining < 0 {
		t.Fatalf("queue %+v", q)
	}
	for _, it := range q.Items {
		if it.Error != "" || it.Body == "" || strings.Contains(it.Body, "{") || it.Segments < 1 || !strings.Contains(it.Body, "Dana") {
			t.Fatalf("queue item %+v", it)
		}
	}

	var slowest, total time.Duration
	for _, it := range q.Items {
		start := time.Now()
		if err := c.SendInitial(ctx, inst.Info.ActionID, it.ContactID); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		slowest, total = max(slowest, took), total+took
	}
	t.Logf("SendInitial (local only, sync running alongside): mean %s, slowest %s", total/time.Duration(len(q.Items)), slowest)
	if err := c.SendInitial(ctx, inst.Info.ActionID, q.Items[0].ContactID); err == nil {
		t.Fatal("sent twice to the same contact")
	}
	if q2, _ := c.Queue(ctx, inst.Info.ActionID); len(q2.Items) != 0 {
		t.Fatalf("queue after sending everyone: %d left", len(q2.Items))
	}

	eventually(t, "outbox drained", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	// The contacts answer (the test plays them, so every one replies).
	for i, it := range q.Items {
		view, err := c.Thread(ctx, it.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the server's thread", 5*time.Second, func() bool {
			view, err = c.Thread(ctx, it.ContactID)
			return err == nil && view.Thread.SendingNumber != ""
		})
		err = inst.Server.Receive(ctx, sms.Inbound{ProviderID: fmt.Sprintf("SMtest%d", i), From: it.Phone,
			To: view.Thread.SendingNumber, Body: "Who is this?", ReceivedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "replies", 15*time.Second, func() bool { return len(ev.named(client.EventReplyNew)) == len(q.Items) })
	notice := ev.named(client.EventReplyNew)[0].Payload.(client.ReplyNotice)
	if notice.ThreadID == "" || notice.ContactName == "" || notice.Body != "Who is this?" {
		t.Fatalf("reply notice %+v", notice)
	}
	st := c.Status(ctx)
	if !st.Online || !st.SignedIn || st.LastError != "" {
		t.Fatalf("status %+v", st)
	}

	counts, err := c.Counts(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	unread, err := c.Threads(ctx, client.FilterUnread, camp.ID, "", 0, 50)
	if err != nil || len(unread) == 0 || len(unread) != counts[client.FilterUnread] {
		t.Fatalf("unread %d (count %d): %v", len(unread), counts[client.FilterUnread], err)
	}
	if counts[client.FilterAll] != len(q.Items)+demo.SeededThreads() {
		t.Fatalf("all = %d, sent %d besides the demo's %d", counts[client.FilterAll], len(q.Items), demo.SeededThreads())
	}
	// Pick a thread of the texts just sent that can still be answered.
	var target client.ThreadSummary
	for _, th := range unread {
		if !th.OptedOut && th.ActionID == inst.Info.ActionID {
			target = th
			break
		}
	}
	if target.ID == "" {
		t.Skip("every simulated contact opted out with this seed")
	}
	if target.ActionTitle != demo.ActionTitle || target.ActionType != api.ActionP2P || !target.Unread {
		t.Fatalf("thread row %+v", target)
	}
	byName, err := c.Threads(ctx, client.FilterAll, camp.ID, strings.ToUpper(target.ContactName), 0, 50)
	if err != nil || len(byName) == 0 || byName[0].ID != target.ID {
		t.Fatalf("search by name %+v %v", byName, err)
	}

	view, err := c.Thread(ctx, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Messages) < 2 || len(view.ResponseScripts) == 0 || view.ActionTitle != demo.ActionTitle {
		t.Fatalf("thread view %+v", view)
	}
	for _, rs := range view.ResponseScripts {
		if strings.Contains(rs.Body, "{") {
			t.Fatalf("response script not rendered: %q", rs.Body)
		}
	}
	if err := c.MarkRead(ctx, target.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := c.Counts(ctx, camp.ID)
	if after[client.FilterUnread] != counts[client.FilterUnread]-1 {
		t.Fatalf("unread %d -> %d after MarkRead", counts[client.FilterUnread], after[client.FilterUnread])
	}

	if err := c.SendReply(ctx, target.ID, "   ", ""); err == nil {
		t.Fatal("empty reply accepted")
	}
	if err := c.SendReply(ctx, target.ID, "x", "no-such-script"); err == nil {
		t.Fatal("unknown response script accepted")
	}
	rs := view.ResponseScripts[0]
	if err := c.SendReply(ctx, target.ID, rs.Body, rs.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "reply accepted", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, target.ID)
		if err != nil {
			return false
		}
		for _, m := range v.Messages {
			if m.Body == rs.Body && !m.Pending && m.Error == "" && m.Direction == api.DirOutbound {
				return true
			}
		}
		return false
	})
	if out, _ := c.Outbox(ctx); len(out) != 0 {
		t.Fatalf("outbox %+v", out)
	}

	if err := c.Archive(ctx, target.ID, true); err != nil {
		t.Fatal(err)
	}
	if arch, _ := c.Threads(ctx, client.FilterArchive, camp.ID, "", 0, 50); len(arch) != 1 || arch[0].ID != target.ID {
		t.Fatalf("archive %+v", arch)
	}

	// A restart restores the session from the cache.
	c.Close()
	c2, _ := newClient(t, inst.URL, dir)
	if st := c2.Status(ctx); !st.SignedIn || st.User.Email != demo.VolunteerEmail {
		t.Fatalf("status after restart %+v", st)
	}
	if cs, _ := c2.Campaigns(ctx); len(cs) != 1 {
		t.Fatalf("campaigns after restart %+v", cs)
	}

	if err := c2.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if st := c2.Status(ctx); st.SignedIn {
		t.Fatal("still signed in")
	}
	if cs, _ := c2.Campaigns(ctx); len(cs) != 0 {
		t.Fatalf("campaigns survive sign-out: %+v", cs)
	}
	if _, err := os.Stat(filepath.Join(dir, cache.FileName+"-wal")); err == nil {
		// A fresh, empty cache may have its own WAL; it must not hold the
		// old data, which the Campaigns check above covers.
		t.Log("fresh cache WAL present")
	}
}

func TestTextAgainAndRelease(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	actionID := inst.Info.ActionID
	b, err := c.TextAgain(ctx, actionID)
	if err != nil || b.Assigned == 0 || b.Remaining <= 0 {
		t.Fatalf("text again: %+v %v", b, err)
	}
	released, err := c.Release(ctx, actionID)
	if err != nil || released != b.Assigned {
		t.Fatalf("released %d of %d: %v", released, b.Assigned, err)
	}
	if q, _ := c.Queue(ctx, actionID); len(q.Items) != 0 {
		t.Fatalf("queue after release has %d", len(q.Items))
	}
	// Text everyone, batch after batch, until the pool is empty.
	for round := 0; ; round++ {
		if round > 20 {
			t.Fatal("the pool never ran out")
		}
		b, err := c.TextAgain(ctx, actionID)
		if err != nil {
			if !strings.Contains(err.Error(), "Everyone in this action has been texted") {
				t.Fatalf("got %v", err)
			}
			break
		}
		q, err := c.Queue(ctx, actionID)
		if err != nil || len(q.Items) != b.Assigned {
			t.Fatalf("queue %d items after %d assigned: %v", len(q.Items), b.Assigned, err)
		}
		for _, it := range q.Items {
			if err := c.SendInitial(ctx, actionID, it.ContactID); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "sends accepted", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	}
	if _, err := c.TextAgain(ctx, "no-such-action"); err == nil {
		t.Fatal("text again for an unknown action")
	}
}

// blindTransport hides the server's changes from the app while blind is
// set: sync and the event stream fail, everything else goes through.
type blindTransport struct {
	blind atomic.Bool
}

func (b *blindTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.blind.Load() && (r.URL.Path == "/api/v1/sync" || r.URL.Path == "/api/v1/events") {
		return nil, errors.New("blindfolded by the test")
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestRejectedSendIsReported(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	bt := &blindTransport{}
	ev := &events{}
	c, err := client.New(client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(), Notify: ev.add,
		HTTPClient: &http.Client{Transport: bt}, PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	signInAndJoin(t, c)
	if _, err := c.TextAgain(ctx, inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Queue(ctx, inst.Info.ActionID)

	// The server takes the contacts back while the app cannot hear it.
	bt.blind.Store(true)
	other := api.NewClient(inst.URL, nil)
	auth, err := other.Login(ctx, api.LoginRequest{Email: demo.VolunteerEmail, Password: demo.VolunteerPassword})
	if err != nil {
		t.Fatal(err)
	}
	other.SetToken(auth.Token)
	if _, err := other.Release(ctx, inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	if err := c.SendInitial(ctx, inst.Info.ActionID, q.Items[0].ContactID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "rejection event", 10*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 1 })
	n := ev.named(client.EventMutationRejected)[0].Payload.(client.RejectedNotice)
	if n.Summary != "First text to "+q.Items[0].Name || !strings.Contains(n.Reason, "no longer assigned") {
		t.Fatalf("notice %+v", n)
	}
	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 1 || !out[0].Rejected || out[0].Reason != n.Reason || out[0].Type != api.MutSendInitial {
		t.Fatalf("outbox %+v %v", out, err)
	}
	if _, err := c.Thread(ctx, q.Items[0].ContactID); err == nil {
		t.Fatal("the refused first text still shows a thread")
	}
	if err := c.DismissRejected(ctx, out[0].ID); err != nil {
		t.Fatal(err)
	}
	if out, err := c.Outbox(ctx); err != nil || len(out) != 0 {
		t.Fatalf("outbox after dismiss: %+v %v", out, err)
	}
	if st := c.Status(ctx); st.Pending != 0 {
		t.Fatalf("status %+v", st)
	}
}

func TestSendReplyChecks(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	if _, err := c.TextAgain(ctx, inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Queue(ctx, inst.Info.ActionID)
	if err := c.SendInitial(ctx, inst.Info.ActionID, q.Items[0].ContactID); err != nil {
		t.Fatal(err)
	}
	id := q.Items[0].ContactID
	cases := []struct{ name, thread, body, script, want string }{
		{"empty", id, " \n ", "", "empty"},
		{"too long", id, strings.Repeat("a", 1601), "", "at most 1600"},
		{"unknown script", id, "hi", "nope", "not one of this action's"},
		{"unknown thread", "nope", "hi", "", "not in your inbox"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := c.SendReply(ctx, tc.thread, tc.body, tc.script)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if out, _ := c.Outbox(ctx); len(out) > 1 {
		t.Fatalf("refused replies reached the outbox: %+v", out)
	}
}

// TestOfflineScriptOnlyAction starts from a cache synced earlier, with the
// server gone: the inbox reads, replies queue, and an action without free
// text takes only its response scripts.
func TestOfflineScriptOnlyAction(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url := "http://127.0.0.1:1" // nothing listens there
	pre, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	change := func(v int64, kind, id string, data any) api.Change {
		raw, _ := json.Marshal(data)
		return api.Change{Version: v, Kind: kind, ID: id, Data: raw}
	}
	in := time.Now().Add(-time.Minute)
	_, err = pre.ApplyPage(ctx, api.SyncResponse{Cursor: 4, Changes: []api.Change{
		change(1, api.KindCampaign, "c1", api.Campaign{ID: "c1", Name: "Vote"}),
		change(2, api.KindAction, "a1", api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionFriends, Title: "Friends",
			ResponseScripts: []api.ResponseScript{{ID: "r1", Label: "Thanks", Body: "Thanks {first_name|friend}, from {volunteer_first_name}!"}}}),
		change(3, api.KindThread, "k1", api.Thread{ID: "k1", ActionID: "a1", CampaignID: "c1", ActionType: api.ActionFriends,
			ContactName: "Ada Lovelace", ContactPhone: "+15550100001", LastMessageAt: in, LastInboundAt: &in}),
		change(4, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Hello?", CreatedAt: in}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := pre.SaveSession(ctx, cache.Session{Token: "t", User: api.User{ID: "u1", Name: "Vi Volunteer"}, ServerURL: url}); err != nil {
		t.Fatal(err)
	}
	pre.Close()

	c, ev := newClient(t, url, dir)
	if st := c.Status(ctx); !st.SignedIn {
		t.Fatalf("session not restored: %+v", st)
	}
	counts, err := c.Counts(ctx, "c1")
	if err != nil || counts[client.FilterFriends] != 1 || counts[client.FilterUnread] != 1 || counts[client.FilterTeam] != 0 {
		t.Fatalf("counts %v %v", counts, err)
	}
	view, err := c.Thread(ctx, "k1")
	if err != nil || len(view.ResponseScripts) != 1 || view.ResponseScripts[0].Body != "Thanks Ada, from Vi!" || view.AllowFreeText {
		t.Fatalf("view %+v %v", view, err)
	}
	if err := c.SendReply(ctx, "k1", "my own words", ""); err == nil || !strings.Contains(err.Error(), "does not allow typed replies") {
		t.Fatalf("free text accepted: %v", err)
	}
	if err := c.SendReply(ctx, "k1", "Thanks Ada, from Vi! edited", "r1"); err == nil {
		t.Fatal("an edited script accepted")
	}
	if err := c.SendReply(ctx, "k1", "Thanks Ada, from Vi!", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "offline status", 5*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.Online && strings.Contains(st.LastError, "cannot reach the campaign server") && st.Pending == 2
	})
	if st := c.Status(ctx); st.Connection != client.ConnectionOffline || !strings.Contains(st.Problem, "Your changes are kept") ||
		strings.Contains(st.Problem, "dial") {
		t.Fatalf("offline status in a volunteer's words: %+v", st)
	}
	// Marking read is housekeeping: counted as pending, not listed.
	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 1 || out[0].Summary != "Reply to Ada Lovelace" || out[0].Rejected {
		t.Fatalf("outbox %+v %v", out, err)
	}
	eventually(t, "a delivery attempt", 5*time.Second, func() bool {
		out, _ := c.Outbox(ctx)
		return out[0].Attempts > 0
	})
	view, _ = c.Thread(ctx, "k1")
	if last := view.Messages[len(view.Messages)-1]; !last.Pending || last.Body != "Thanks Ada, from Vi!" {
		t.Fatalf("queued reply %+v", last)
	}
	if len(ev.named(client.EventSyncStatus)) == 0 || len(ev.named(client.EventInboxChanged)) == 0 {
		t.Fatal("no events for the window")
	}
	// The window orders status events by Seq (a transport may reorder
	// them): in the order they were told, each is numbered above the last.
	var last uint64
	for i, e := range ev.named(client.EventSyncStatus) {
		st, ok := e.Payload.(client.Status)
		if !ok || st.Seq <= last {
			t.Fatalf("status event %d: %+v after seq %d, want a higher seq", i, e.Payload, last)
		}
		last = st.Seq
	}
	if last < 2 {
		t.Fatalf("the run told %d status events, want several to order", last)
	}
	// Inbox events too: each numbered once, 1 to N in all (events told
	// from two goroutines at once may be recorded in either order).
	seen := map[uint64]bool{}
	inbox := ev.named(client.EventInboxChanged)
	for i, e := range inbox {
		ch, ok := e.Payload.(client.InboxChange)
		if !ok || ch.Seq == 0 || ch.Seq > uint64(len(inbox)) || seen[ch.Seq] {
			t.Fatalf("inbox event %d: %+v, want a seq from 1 to %d not seen before", i, e.Payload, len(inbox))
		}
		seen[ch.Seq] = true
	}
	if len(inbox) < 2 {
		t.Fatalf("the run told %d inbox events, want several to order", len(inbox))
	}
}

// Signing in again after signing out must return with the campaigns already
// cached, or the window would open on the join screen.
func TestSignInLoadsCampaignsBeforeReturning(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if cs, _ := c.Campaigns(ctx); len(cs) != 0 {
		t.Fatalf("campaigns survived sign-out: %+v", cs)
	}
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	cs, err := c.Campaigns(ctx)
	if err != nil || len(cs) != 1 || cs[0].JoinCode != demo.JoinCode {
		t.Fatalf("campaigns right after sign-in: %+v %v", cs, err)
	}
	if as, err := c.Actions(ctx, cs[0].ID); err != nil || len(as) == 0 {
		t.Fatalf("actions right after sign-in: %+v %v", as, err)
	}
}

// The join screen's demo hint comes from Status, signed in or not.
func TestStatusCarriesDemoJoinCode(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, err := client.New(client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(),
		Demo: true, DemoJoinCode: demo.JoinCode, PollInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if st := c.Status(ctx); !st.Demo || st.DemoJoinCode != demo.JoinCode || st.SignedIn {
		t.Fatalf("signed out status %+v", st)
	}
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(ctx); st.DemoJoinCode != demo.JoinCode || !st.SignedIn {
		t.Fatalf("signed in status %+v", st)
	}
}

// Signing out revokes the token on the server, not only on this desktop.
func TestSignOutRevokesToken(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, ok, err := ch.LoadSession(ctx)
	ch.Close()
	if err != nil || !ok || s.Token == "" {
		t.Fatalf("session %v %v", ok, err)
	}
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(s.Token)
	if _, err := raw.Me(ctx); err != nil {
		t.Fatalf("token refused before sign-out: %v", err)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	var ae *api.APIError
	if _, err := raw.Me(ctx); !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Fatalf("token after sign-out: %v, want 401", err)
	}
}

// A sign-in the server stops accepting (here revoked, as an expired one is
// refused the same way: 401) shows as SessionExpired with the pending change
// kept; signing in again as the same volunteer keeps the cache and sends it.
func TestSessionExpiredSignInAgainKeepsPending(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	camps, err := c.Campaigns(ctx)
	if err != nil || len(camps) == 0 {
		t.Fatalf("campaigns %v %v", camps, err)
	}

	// The server forgets the token behind the client's back.
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, ok, err := ch.LoadSession(ctx)
	ch.Close()
	if err != nil || !ok {
		t.Fatalf("session %v %v", ok, err)
	}
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(s.Token)
	if err := raw.Logout(ctx); err != nil {
		t.Fatal(err)
	}

	// A change made now cannot reach the server: it waits, and the status says why.
	was, err := c.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetAutoArchive(ctx, !was.AutoArchive); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the status to say the sign-in expired", 10*time.Second, func() bool {
		st := c.Status(ctx)
		return st.SessionExpired && st.Pending > 0
	})
	if st := c.Status(ctx); !st.SignedIn || !strings.Contains(st.Problem, "Sign in again") {
		t.Fatalf("expired status %+v", st)
	}

	// Signing in again as the same volunteer resumes: same cache, the change goes out.
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if after, err := c.Campaigns(ctx); err != nil || len(after) != len(camps) {
		t.Fatalf("campaigns after signing in again: %v %v", after, err)
	}
	eventually(t, "the pending change to reach the server", 10*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.SessionExpired && st.Pending == 0
	})
	// Another desktop of the same volunteer sees the change: it reached the server.
	other, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := other.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the other desktop to see the change", 10*time.Second, func() bool {
		got, err := other.Settings(ctx)
		return err == nil && got.AutoArchive == !was.AutoArchive
	})
}
