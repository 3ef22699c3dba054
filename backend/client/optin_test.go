package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/sms"
)

// TestStartFromAnOptedOutContactIsNoNewWork: a contact says STOP (the
// volunteer sees it once, and reads it), then START. The START shows in the
// conversation, but the conversation is not unread again nor in Needs
// Attention: the volunteer can do nothing with it (the contact stays opted
// out; the campaign's admins see the opt-in), as the server decided.
func TestStartFromAnOptedOutContactIsNoNewWork(t *testing.T) {
	ctx := context.Background()
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	camp := inst.Info.CampaignID
	c, _ := joined(t, inst, t.TempDir())
	rosa := threadNamed(t, c, camp, "Rosa Parks")
	number := mustThread(t, c, rosa.ID).Thread.SendingNumber
	receive := func(id, body string) {
		t.Helper()
		if err := inst.Server.Receive(ctx, sms.Inbound{ProviderID: id, From: rosa.ContactPhone, To: number, Body: body,
			ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	receive("SM-rosa-stop", "STOP")
	eventually(t, "Rosa opted out", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, rosa.ID)
		return err == nil && v.Thread.OptedOut
	})
	if err := c.MarkRead(ctx, rosa.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the read reaches the server", 10*time.Second, func() bool {
		out, err := c.Outbox(ctx)
		return err == nil && len(out) == 0
	})
	unread := func() bool {
		for _, r := range threadsUnder(t, c, camp, client.FilterUnread, "") {
			if r.ID == rosa.ID {
				return true
			}
		}
		return false
	}
	if unread() {
		t.Fatal("Rosa's conversation is unread after it was read")
	}
	receive("SM-rosa-start", "START")
	eventually(t, "the START in the conversation", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, rosa.ID)
		return err == nil && len(v.Messages) > 0 && v.Messages[len(v.Messages)-1].Body == "START"
	})
	if unread() {
		t.Fatal("START from an opted-out contact made the conversation unread")
	}
	for _, r := range threadsUnder(t, c, camp, client.FilterNeedsAttention, "") {
		if r.ID == rosa.ID {
			t.Fatal("START from an opted-out contact put the conversation in Needs Attention")
		}
	}
}
