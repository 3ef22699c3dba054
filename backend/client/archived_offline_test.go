package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/demo"
)

// cutTransport is the volunteer's network: cut, every request fails as a
// dead connection does and the answers still being read (the event
// stream) break off; the server itself keeps running.
type cutTransport struct {
	cut    atomic.Bool
	mu     gosync.Mutex
	bodies map[io.ReadCloser]struct{}
}

func (c *cutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.cut.Load() {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, errors.New("dial tcp: connect: network is unreachable")
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.bodies == nil {
		c.bodies = map[io.ReadCloser]struct{}{}
	}
	c.bodies[resp.Body] = struct{}{}
	c.mu.Unlock()
	return resp, nil
}

func (c *cutTransport) setCut(cut bool) {
	c.cut.Store(cut)
	if !cut {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for b := range c.bodies {
		_ = b.Close()
	}
	c.bodies = nil
}

// offlineDemo is a test's demo server and the volunteer's app on it,
// signed in and joined, over a network the test cuts (cut) and mends
// (net.setCut(false)); the app retries soon once it is back.
type offlineDemo struct {
	inst         *demo.Instance
	c            *client.Client
	net          *cutTransport
	ev           *events
	camp, action string
}

// joinedThroughCut starts an offlineDemo, waits for more than n of the
// demo's conversations in the app and asks for the next first texts (Text
// Again), as a volunteer would before the network goes.
func joinedThroughCut(t *testing.T, n int) offlineDemo {
	t.Helper()
	ctx := context.Background()
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	d := offlineDemo{inst: inst, net: &cutTransport{}, ev: &events{}, camp: inst.Info.CampaignID, action: inst.Info.ActionID}
	d.c = retryingThrough(t, inst.URL, t.TempDir(), d.net, d.ev.add)
	signInAndJoin(t, d.c)
	eventually(t, "the demo's conversations", 10*time.Second, func() bool {
		counts, err := d.c.Counts(ctx, d.camp)
		return err == nil && counts[client.FilterAll] > n
	})
	if _, err := d.c.TextAgain(ctx, d.action); err != nil {
		t.Fatal(err)
	}
	return d
}

// cut takes the network away and waits for the app to say it is offline.
func (d offlineDemo) cut(t *testing.T) {
	t.Helper()
	d.net.setCut(true)
	eventually(t, "offline", 10*time.Second, func() bool { return d.c.Status(context.Background()).Connection == client.ConnectionOffline })
}

// organizer acts on the demo's campaign from the server's side, as
// textbankd's commands do, while the volunteer is offline.
func (d offlineDemo) organizer(t *testing.T) *server.Organizer {
	t.Helper()
	o, err := server.NewOrganizer(server.OrganizerConfig{Store: d.inst.Store, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// The campaign is archived while the volunteer is offline with first
// texts, a reply, an archive and a report queued. Back online, the first
// texts are refused in words that say what happened (the contact was not
// texted; there was never a conversation to lose), the conversation's
// changes go through once each, and nothing waits behind the refusals.
// Offline, the thread says its report has not reached the server yet.
func TestCampaignArchivedWhileOffline(t *testing.T) {
	ctx := context.Background()
	d := joinedThroughCut(t, 3)
	inst, c, ev, camp, action := d.inst, d.c, d.ev, d.camp, d.action
	q, err := c.Queue(ctx, action)
	if err != nil || len(q.Items) < 2 {
		t.Fatalf("queue %+v %v", q, err)
	}
	rows := threadsUnder(t, c, camp, client.FilterAll, "")
	replied, archived, reported := rows[0], rows[1], rows[2]

	d.cut(t)
	for _, it := range q.Items[:2] {
		if err := c.SendInitial(ctx, action, it.ContactID); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SendReply(ctx, replied.ID, "Polls close at 8pm.", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.Archive(ctx, archived.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := c.SubmitReport(ctx, reported.ID, map[string]string{"notes": "asked about polls"}); err != nil {
		t.Fatal(err)
	}
	v, err := c.Thread(ctx, reported.ID)
	if err != nil || len(v.Reports) == 0 || !slices.Equal(v.PendingReports, []string{v.Reports[0].ID}) {
		t.Fatalf("a report filed offline does not show as waiting: %+v %+v %v", v.Reports, v.PendingReports, err)
	}
	if st := c.Status(ctx); st.Pending != 5 {
		t.Fatalf("offline status %+v", st)
	}

	// Meanwhile the organizers archive the campaign.
	if _, err := d.organizer(t).ArchiveCampaign(ctx, demo.JoinCode); err != nil {
		t.Fatal(err)
	}

	d.net.setCut(false)
	eventually(t, "online and drained", 15*time.Second, func() bool {
		st := c.Status(ctx)
		return st.Connection == client.ConnectionOnline && st.Pending == 0 && st.Problem == ""
	})
	eventually(t, "the refusals", 10*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 2 })
	for i, e := range ev.named(client.EventMutationRejected) {
		n := e.Payload.(client.RejectedNotice)
		if n.Summary != "First text to "+q.Items[i].Name || !strings.Contains(n.Reason, "not texted") || strings.Contains(n.Reason, "conversation") {
			t.Errorf("refusal %d: %+v", i, n)
		}
	}
	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 2 {
		t.Fatalf("outbox %+v %v", out, err)
	}
	for _, o := range out {
		if !o.Rejected || !strings.Contains(o.Reason, "not texted") {
			t.Errorf("outbox row %+v", o)
		}
	}
	for _, it := range q.Items[:2] {
		if n := sentTo(inst.Network, it.Phone); n != 0 {
			t.Errorf("%d texts to %s after the archive", n, it.Name)
		}
	}
	eventually(t, "the reply sent", 10*time.Second, func() bool { return sentTo(inst.Network, replied.ContactPhone) == 1 })
	if r, ok := rowOf(t, c, camp, client.FilterArchive, archived.ID); !ok || r.ArchivedReason != client.ArchivedByUser {
		t.Errorf("archived row %+v %v", r, ok)
	}
	if v, err := c.Thread(ctx, reported.ID); err != nil || len(v.Reports) == 0 || len(v.PendingReports) != 0 {
		t.Errorf("the report, once accepted: %+v %+v %v", v.Reports, v.PendingReports, err)
	}
	// No second text can still come: the app has nothing left to send
	// (drained above) and the server's dispatcher has no text queued or
	// being sent, so any second one would be on the network already.
	eventually(t, "the dispatcher drained", 10*time.Second, func() bool {
		n, err := inst.Server.Pending(ctx)
		return err == nil && n == 0
	})
	if n := sentTo(inst.Network, replied.ContactPhone); n != 1 {
		t.Errorf("%d texts for one reply", n)
	}
}
