package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
)

// An organizer removes the volunteer from the campaign while their app is
// offline with a reply queued. Back online, the reply is refused in words
// naming the campaign (never sent), and the campaign, its actions, queue
// and conversations leave the cache; the window hears which campaign it
// left, by name, once.
func TestRemovedFromACampaignWhileOffline(t *testing.T) {
	ctx := context.Background()
	d := joinedThroughCut(t, 0)
	inst, c, ev, camp, action := d.inst, d.c, d.ev, d.camp, d.action
	replied := threadsUnder(t, c, camp, client.FilterAll, "")[0]
	camps, err := c.Campaigns(ctx)
	if err != nil || len(camps) != 1 {
		t.Fatalf("campaigns %+v %v", camps, err)
	}
	name := camps[0].Name

	d.cut(t)
	if err := c.SendReply(ctx, replied.ID, "Polls close at 8pm.", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.organizer(t).RemoveMember(ctx, demo.VolunteerEmail, demo.JoinCode); err != nil {
		t.Fatal(err)
	}
	sentBefore := sentTo(inst.Network, replied.ContactPhone)

	d.net.setCut(false)
	eventually(t, "the refusal", 15*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 1 })
	if n := ev.named(client.EventMutationRejected)[0].Payload.(client.RejectedNotice); !strings.Contains(n.Reason, "removed from the campaign “"+name+"”") {
		t.Errorf("the reply's refusal: %+v", n)
	}
	eventually(t, "the campaign gone", 15*time.Second, func() bool {
		camps, err := c.Campaigns(ctx)
		return err == nil && len(camps) == 0
	})
	// The window's event follows the cache write the read above saw: wait
	// for it (the full client run met the read first, under load).
	leftSoFar := func() []client.LeftCampaign {
		var left []client.LeftCampaign
		for _, e := range ev.named(client.EventInboxChanged) {
			left = append(left, e.Payload.(client.InboxChange).Left...)
		}
		return left
	}
	eventually(t, "the window told it left", 15*time.Second, func() bool { return len(leftSoFar()) > 0 })
	if left := leftSoFar(); len(left) != 1 || left[0] != (client.LeftCampaign{ID: camp, Name: name}) {
		t.Fatalf("the window was told it left %+v, want %s once", left, name)
	}
	if rows := threadsUnder(t, c, camp, client.FilterAll, ""); len(rows) != 0 {
		t.Errorf("%d of its conversations still listed", len(rows))
	}
	if q, err := c.Queue(ctx, action); err == nil && len(q.Items) != 0 {
		t.Errorf("its queue still holds %d contacts", len(q.Items))
	}
	if n := sentTo(inst.Network, replied.ContactPhone); n != sentBefore {
		t.Errorf("the refused reply went out (%d texts, %d before)", n, sentBefore)
	}
}
