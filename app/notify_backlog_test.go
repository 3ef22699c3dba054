package app

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestBacklogNotifiesEveryReply: the app is closed overnight; Ann texts,
// then Bob, then Ann again. At the next start one pull brings all three,
// and the notifications cover all three, and nothing more: the cache is
// caught up from the first run, so the backlog is news, and what the first
// run had already brought is not.
func TestBacklogNotifiesEveryReply(t *testing.T) {
	ctx := context.Background()
	inst, err := demo.Start(ctx, demo.Options{Dir: t.TempDir(), Addr: "127.0.0.1:0", Log: zerolog.Nop(),
		Network: simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	dir := t.TempDir()
	newC := func(notifyFn func(client.Event)) *client.Client {
		c, err := client.New(client.Config{DataDir: dir, ServerURL: inst.URL, Log: zerolog.Nop(), Notify: notifyFn,
			PollInterval: 50 * time.Millisecond, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1 := newC(func(client.Event) {})
	if _, err := c1.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c1.JoinCampaign(ctx, demo.JoinCode); err != nil {
		t.Fatal(err)
	}
	if _, err := c1.TextAgain(ctx, inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	q, err := c1.Queue(ctx, inst.Info.ActionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q.Items[:2] {
		if err := c1.SendInitial(ctx, inst.Info.ActionID, it.ContactID); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(inst.Network.Sent()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sent := inst.Network.Sent()
	if len(sent) < 2 {
		t.Fatal("texts not sent")
	}
	time.Sleep(300 * time.Millisecond)
	c1.Close()

	ann, bob := sent[0], sent[1]
	say := func(o sms.Outbound, body string) {
		if err := inst.Server.Receive(ctx, sms.Inbound{ProviderID: body, From: o.To, To: o.From, Body: body, ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	say(ann, "ann first")
	say(bob, "bob hello")
	say(ann, "ann second")

	policy := notify.New(notify.Config{Window: 300 * time.Millisecond})
	notes := &fakeNotifier{notes: make(chan notify.Note, 10)}
	var shell *Shell
	c2 := newC(func(ev client.Event) {
		if shell != nil {
			shell.OnEvent(ev)
		}
	})
	defer c2.Close()
	shell = NewShell(ShellConfig{Log: zerolog.Nop(), Inbox: c2, Policy: policy, Tray: &fakeTray{present: true},
		Notifier: func(context.Context) (Notifier, error) { return notes, nil }, Title: "Textbank"})
	shell.Startup(ctx, newFakeWindow(), true)
	defer shell.Shutdown()
	total := 0
	var got []notify.Note
	timeout := time.After(10 * time.Second)
	for total < 3 {
		select {
		case n := <-notes.notes:
			got = append(got, n)
			total += n.Count
		case <-timeout:
			t.Fatalf("three replies from two contacts (Ann, Bob, Ann) after a restart: notifications %+v cover %d", got, total)
		}
	}
	select {
	case n := <-notes.notes:
		t.Fatalf("a fourth note %+v", n)
	case <-time.After(500 * time.Millisecond):
	}
}
