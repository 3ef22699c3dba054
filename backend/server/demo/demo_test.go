package demo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/democampaign"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestSeedIsIdempotent(t *testing.T) {
	ctx := testContext(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	first, err := democampaign.Seed(ctx, st, now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := democampaign.Seed(ctx, st, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Fatalf("second seed = %+v, want %+v", second, first)
	}
	if first.JoinCode != "123456" || first.VolunteerEmail != demo.VolunteerEmail || first.VolunteerPassword != demo.VolunteerPassword {
		t.Fatalf("info = %+v", first)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		n, err := tx.CountUsers(ctx)
		if err != nil {
			return err
		}
		if n != 2 {
			t.Errorf("users = %d, want organizer and volunteer", n)
		}
		pool, err := tx.CountAssignable(ctx, first.ActionID)
		if err != nil {
			return err
		}
		if pool < 45 || pool > 60 {
			t.Errorf("contacts = %d, want about 50", pool)
		}
		a, err := tx.ActionByID(ctx, first.ActionID)
		if err != nil {
			return err
		}
		if a.TextingHours.Start != "00:00" || a.TextingHours.End != "24:00" || a.BatchSize != 10 || len(a.ResponseScripts) != 4 {
			t.Errorf("action = %+v", a)
		}
		c, err := tx.CampaignByJoinCode(ctx, "123456")
		if err != nil {
			return err
		}
		if c.Name != demo.CampaignName || !c.Public {
			t.Errorf("campaign = %+v", c)
		}
		v, err := tx.UserByEmail(ctx, demo.VolunteerEmail)
		if err != nil {
			return err
		}
		if _, err := tx.Membership(ctx, c.ID, v.ID); err == nil {
			t.Errorf("volunteer is already a member; joining is part of the demo")
		}
		return bcrypt.CompareHashAndPassword([]byte(v.PasswordHash), []byte(demo.VolunteerPassword))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStartServesTheDemo(t *testing.T) {
	ctx := testContext(t)
	inst, err := demo.Start(ctx, demo.Options{
		Dir:        t.TempDir(),
		Log:        zerolog.Nop(),
		Network:    simnet.Config{Mix: map[simnet.Kind]int{simnet.Answer: 1}, Seed: 1},
		BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatal(err)
	}
	closeDemo(t, inst)

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, inst.URL+"/healthz", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var health api.Health
	_ = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || !health.OK || health.Version != "dev" {
		t.Fatalf("healthz = %d %v", resp.StatusCode, health)
	}

	// The walkthrough of the demo: sign in, join, Text Again, send, get a reply.
	c := joinAsVolunteer(ctx, t, inst)
	batch, err := c.Batch(ctx, inst.Info.ActionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Assigned) != 10 {
		t.Fatalf("batch of %d, want 10", len(batch.Assigned))
	}
	contact := batch.Assigned[0]
	res, err := c.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSendInitial, CreatedAt: time.Now(),
		ContactID: contact.ContactID, MessageID: uuid.NewString()}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Results[0].Status != api.ResultApplied {
		t.Fatalf("send = %+v", res.Results[0])
	}
	var cursor int64
	for {
		page, err := c.Sync(ctx, cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		cursor = page.Cursor
		for _, ch := range page.Changes {
			if ch.Kind != api.KindMessage || ch.Deleted {
				continue
			}
			var m api.Message
			if err := json.Unmarshal(ch.Data, &m); err != nil {
				t.Fatal(err)
			}
			if m.ThreadID == contact.ContactID && m.Direction == api.DirInbound {
				return // the simulated contact answered
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("no reply from the simulated contact")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestDemoSeesOrganizerCommands: an organizer command run against the
// demo's data directory (another store handle on the same file, as another
// process has) reaches a volunteer's open event stream at once.
func TestDemoSeesOrganizerCommands(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()
	inst, err := demo.Start(ctx, demo.Options{Dir: dir, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost,
		Network: simnet.Config{Mix: map[simnet.Kind]int{simnet.Answer: 1}, Seed: 1}, FeedWatch: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	closeDemo(t, inst)
	c := joinAsVolunteer(ctx, t, inst)
	streamCtx, stopStream := context.WithCancel(ctx)
	defer stopStream()
	events := make(chan api.Event, 16)
	opened := make(chan struct{})
	// The stream may fail before it opens (it then returns at once); the
	// test says so rather than waiting for a close that never comes.
	streamErr := make(chan error, 1)
	go func() {
		streamErr <- c.Stream(streamCtx, func() { close(opened) }, func(ev api.Event) { events <- ev })
	}()
	var first api.Event
	select {
	case <-opened:
	case err := <-streamErr:
		t.Fatalf("the event stream ended before it opened: %v", err)
	case <-ctx.Done():
		t.Fatal("the event stream never opened")
	}
	select {
	case first = <-events:
	case err := <-streamErr:
		t.Fatalf("the event stream ended before its first event: %v", err)
	case <-ctx.Done():
		t.Fatal("the event stream sent no first event")
	}

	other, err := store.Open(ctx, filepath.Join(dir, demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	org, err := server.NewOrganizer(server.OrganizerConfig{Store: other, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := org.AddAdmin(ctx, inst.Info.VolunteerEmail, inst.Info.JoinCode); err != nil || !res.Changed {
		t.Fatalf("admin add: %+v %v", res, err)
	}
	select {
	case ev := <-events:
		if ev.Version <= first.Version {
			t.Fatalf("event version %d, want > %d", ev.Version, first.Version)
		}
	case <-ctx.Done():
		t.Fatal("the demo server never told the volunteer about a change another process made")
	}
}

// joinAsVolunteer signs the demo volunteer in and joins the demo campaign.
func joinAsVolunteer(ctx context.Context, t *testing.T, inst *demo.Instance) *api.Client {
	t.Helper()
	c := api.NewClient(inst.URL, nil)
	auth, err := c.Login(ctx, api.LoginRequest{Email: inst.Info.VolunteerEmail, Password: inst.Info.VolunteerPassword})
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(auth.Token)
	if _, err := c.Join(ctx, inst.Info.JoinCode); err != nil {
		t.Fatal(err)
	}
	return c
}

// The intro shows each action's instructions before Start: they name the
// buttons the app has, and the actions that hold only conversations under
// way (Friends, Team, Canvassing, Broadcast) do not tell the volunteer to text anyone new.
func TestInstructionsFitEachAction(t *testing.T) {
	ctx := testContext(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	info, err := democampaign.Seed(ctx, st, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		actions, err := tx.ActionsByCampaign(ctx, info.CampaignID)
		if err != nil {
			return err
		}
		for _, a := range actions {
			for _, button := range []string{"Follow Up", "Fill Report", "Report abuse", "Reassign Conversation"} {
				if !strings.Contains(a.Instructions, button) {
					t.Errorf("%s: instructions do not name %q: %s", a.Title, button, a.Instructions)
				}
			}
			// Every action's Start leads to someone to text, and its
			// instructions say how.
			if !strings.Contains(a.Instructions, "Send") {
				t.Errorf("%s: instructions do not say how to text: %s", a.Title, a.Instructions)
			}
			pool, err := tx.CountAssignable(ctx, a.ID)
			if err != nil {
				return err
			}
			if want := map[bool]int{true: 3, false: 50}[a.Type != api.ActionP2P]; pool != want {
				t.Errorf("%s (%s): %d people to text, want %d", a.Title, a.Type, pool, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// demoOrganizer starts a demo server with silent contacts for the test,
// signs its organizer in, and reads their Admin overview of the demo
// campaign.
func demoOrganizer(ctx context.Context, t *testing.T) (*api.Client, api.AdminOverview) {
	t.Helper()
	c, ov, _ := demoOrganizerIn(ctx, t)
	return c, ov
}

// demoOrganizerIn is demoOrganizer with the demo campaign's id.
func demoOrganizerIn(ctx context.Context, t *testing.T) (*api.Client, api.AdminOverview, string) {
	t.Helper()
	inst, err := demo.Start(ctx, demo.Options{Dir: t.TempDir(), Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost,
		Network: simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	closeDemo(t, inst)
	c := api.NewClient(inst.URL, nil)
	auth, err := c.Login(ctx, api.LoginRequest{Email: democampaign.OrganizerEmail, Password: democampaign.OrganizerPassword})
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(auth.Token)
	ov, err := c.AdminOverview(ctx, inst.Info.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	return c, ov, inst.Info.CampaignID
}

// TestDemoOrganizerSeesTheStrangersText: the demo's organizer finds the
// stranger's text under Unroutable texts, so a newcomer sees that part of
// the Admin section working (it is kept with the campaign that had the
// number, and only that campaign's admins see it).
func TestDemoOrganizerSeesTheStrangersText(t *testing.T) {
	ctx := testContext(t)
	_, ov := demoOrganizer(ctx, t)
	for _, u := range ov.Unroutable {
		if u.From == democampaign.StrangerPhone {
			return
		}
	}
	t.Fatalf("the organizer's unroutable texts are %+v; want the stranger's (%s)", ov.Unroutable, democampaign.StrangerPhone)
}

// The demo's organizer has an opt-in to decide on: the START of a contact
// who had texted STOP, in a conversation of the organizer's own, which
// the overview offers to open and which the organizer's sync brings read
// and opted out (a START is not new work).
func TestDemoOrganizerHasAnOptIn(t *testing.T) {
	ctx := testContext(t)
	c, ov := demoOrganizer(ctx, t)
	if len(ov.OptIns) != 1 || ov.OptIns[0].Body != "START" || !ov.OptIns[0].Yours || ov.OptIns[0].ThreadID == "" ||
		ov.OptIns[0].ContactName != "Ida Wells" {
		t.Fatalf("the organizer's opt-ins are %+v; want Ida Wells's START in a conversation of their own", ov.OptIns)
	}
	page, err := c.Sync(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var th *api.Thread
	var bodies []string
	for _, ch := range page.Changes {
		switch ch.Kind {
		case api.KindThread:
			var x api.Thread
			if err := json.Unmarshal(ch.Data, &x); err != nil {
				t.Fatal(err)
			}
			if x.ID == ov.OptIns[0].ThreadID {
				th = &x
			}
		case api.KindMessage:
			var m api.Message
			if err := json.Unmarshal(ch.Data, &m); err != nil {
				t.Fatal(err)
			}
			if m.ThreadID == ov.OptIns[0].ThreadID {
				bodies = append(bodies, m.Body)
			}
		}
	}
	if th == nil {
		t.Fatalf("the organizer's sync has no thread %s", ov.OptIns[0].ThreadID)
	}
	st := inbox.State{ActionType: th.ActionType, OptedOut: th.OptedOut, LastInboundAt: th.LastInboundAt,
		LastOutboundAt: th.LastOutboundAt, LastReadAt: th.LastReadAt}
	if !th.OptedOut || inbox.IsUnread(st) || inbox.NeedsAttentionNow(st) {
		t.Errorf("the opt-in's conversation %+v: want opted out, read, not needing attention", th)
	}
	if len(bodies) != 3 || bodies[1] != "STOP" || bodies[2] != "START" {
		t.Errorf("the opt-in's conversation holds %q; want the first text, STOP, START", bodies)
	}
}
