package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// startDemoIn starts the demo server on a given data dir and address, so a
// test can stop it and bring the same server back.
func startDemoIn(t *testing.T, dir, addr string) *demo.Instance {
	t.Helper()
	inst, err := demo.Start(context.Background(), demo.Options{Dir: dir, Addr: addr, Log: zerolog.Nop(), Network: quiet, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func stop(t *testing.T, inst *demo.Instance) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := inst.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func sentTo(netw *simnet.Network, phone string) int {
	n := 0
	for _, m := range netw.Sent() {
		if m.To == phone {
			n++
		}
	}
	return n
}

// sentOnce fails the test unless the network got exactly one text to
// phone: it waits for the first, since a change the server applied (the
// app's pending count at zero) is handed to the provider by its
// dispatcher a moment later, longer on a loaded machine.
func sentOnce(t *testing.T, netw *simnet.Network, phone string) {
	t.Helper()
	eventually(t, "a text to "+phone, 15*time.Second, func() bool { return sentTo(netw, phone) > 0 })
	if n := sentTo(netw, phone); n != 1 {
		t.Fatalf("%d texts to %s, want 1", n, phone)
	}
}

// With the campaign server gone the inbox, threads and reports read
// normally; archive, read, reply and report still work, show as pending,
// survive an app restart, and go out when the server is back; a refusal
// rolls back and says why in a volunteer's words.
func TestOfflineAcrossAppRestart(t *testing.T) {
	ctx := context.Background()
	serverDir, appDir := t.TempDir(), t.TempDir()
	inst := startDemoIn(t, serverDir, "127.0.0.1:0")
	addr, url, camp := strings.TrimPrefix(inst.URL, "http://"), inst.URL, inst.Info.CampaignID
	c, _ := joined(t, inst, appDir)
	var ids []string
	names := map[string]string{}
	phones := map[string]string{}
	for _, r := range threadsUnder(t, c, camp, client.FilterAll, "") {
		ids = append(ids, r.ID)
		names[r.ID], phones[r.ID] = r.ContactName, r.ContactPhone
	}
	archived, read, replied, reported, refused := ids[0], ids[1], ids[2], ids[3], ids[4]

	stop(t, inst)
	eventually(t, "offline", 10*time.Second, func() bool { return c.Status(ctx).Connection == client.ConnectionOffline })
	if err := c.Archive(ctx, archived, true); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, read); err != nil {
		t.Fatal(err)
	}
	if err := c.SendReply(ctx, replied, "Polls close at 8pm.", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.SubmitReport(ctx, reported, map[string]string{"will_vote": "true", "support": "Lean Supporter"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendReply(ctx, refused, "Thanks!", ""); err != nil {
		t.Fatal(err)
	}
	checkOffline := func(c *client.Client, when string) {
		t.Helper()
		st := c.Status(ctx)
		// Four changes wait: the thread marked read is queued too, but is
		// not the volunteer's change, so the count matches the Outbox's list.
		if st.Connection != client.ConnectionOffline || st.Pending != 4 || st.Problem == "" ||
			strings.ContainsAny(st.Problem, ":") || strings.Contains(st.Problem, "dial") {
			t.Fatalf("%s: status %+v", when, st)
		}
		out, err := c.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range out {
			got = append(got, o.Summary)
		}
		want := []string{"Archive conversation with " + names[archived], "Reply to " + names[replied],
			"Report on " + names[reported], "Reply to " + names[refused]}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("%s: outbox %q, want %q", when, got, want)
		}
		if r, ok := rowOf(t, c, camp, client.FilterArchive, archived); !ok || r.ArchivedReason != client.ArchivedByUser {
			t.Fatalf("%s: archived row %+v", when, r)
		}
		if r, _ := rowOf(t, c, camp, client.FilterAll, read); r.Unread {
			t.Fatalf("%s: read thread still unread", when)
		}
		v, err := c.Thread(ctx, replied)
		if err != nil || !v.Messages[len(v.Messages)-1].Pending || v.Messages[len(v.Messages)-1].Body != "Polls close at 8pm." {
			t.Fatalf("%s: replied thread %+v %v", when, v.Messages, err)
		}
		v, err = c.Thread(ctx, reported)
		if err != nil || len(v.Reports) != 1 || v.Reports[0].Values["support"] != "Lean Supporter" || len(v.ResponseScripts) == 0 {
			t.Fatalf("%s: reported thread %+v %v", when, v.Reports, err)
		}
		counts, err := c.Counts(ctx, camp)
		if err != nil || counts[client.FilterArchive] != 1+demo.SeededArchived() || counts[client.FilterAll] != demo.SeededThreads()-1 {
			t.Fatalf("%s: counts %v %v", when, counts, err)
		}
	}
	checkOffline(c, "offline")

	// The app quits and starts again, still offline.
	c.Close()
	c, ev := newClient(t, url, appDir)
	eventually(t, "offline after the restart", 10*time.Second, func() bool { return c.Status(ctx).Connection == client.ConnectionOffline })
	checkOffline(c, "after the restart")

	// Meanwhile the contact of one thread opts out (the server runs
	// elsewhere for a moment, out of this app's reach).
	side := startDemoIn(t, serverDir, "127.0.0.1:0")
	v, _ := c.Thread(ctx, refused)
	if err := side.Server.Receive(ctx, sms.Inbound{ProviderID: "SM-stop", From: phones[refused], To: v.Thread.SendingNumber,
		Body: "STOP", ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	stop(t, side)

	// The server is back.
	back := startDemoIn(t, serverDir, addr)
	t.Cleanup(func() { stop(t, back) })
	eventually(t, "online and drained", 15*time.Second, func() bool {
		st := c.Status(ctx)
		return st.Connection == client.ConnectionOnline && st.Pending == 0 && st.Problem == ""
	})
	eventually(t, "the refusal", 10*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 1 })
	n := ev.named(client.EventMutationRejected)[0].Payload.(client.RejectedNotice)
	if n.Summary != "Reply to "+names[refused] || !strings.Contains(n.Reason, "opted out") || strings.Contains(n.Reason, "opted_out") {
		t.Fatalf("rejection %+v", n)
	}
	out, _ := c.Outbox(ctx)
	// The conversation is still here: the Outbox can open it.
	if len(out) != 1 || !out[0].Rejected || out[0].Reason != n.Reason || out[0].ThreadID != refused || out[0].CampaignID != camp {
		t.Fatalf("outbox after the refusal %+v", out)
	}
	eventually(t, "the refused reply marked failed", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, refused)
		if err != nil || !v.Thread.OptedOut {
			return false
		}
		for _, m := range v.Messages {
			if m.Body == "Thanks!" {
				return m.Status == api.StatusFailed && !m.Pending && m.Error == n.Reason
			}
		}
		return false
	})
	// Dismissed from the Outbox, the refusal still reads the same in the
	// thread, not as the server worded it for its log.
	if err := c.DismissRejected(ctx, out[0].ID); err != nil {
		t.Fatal(err)
	}
	v, _ = c.Thread(ctx, refused)
	for _, m := range v.Messages {
		if m.Body == "Thanks!" && m.Error != n.Reason {
			t.Fatalf("the dismissed refusal reads %q in the thread, was %q", m.Error, n.Reason)
		}
	}
	sentOnce(t, back.Network, phones[replied])
	if got := sentTo(back.Network, phones[refused]); got != 0 {
		t.Fatalf("%d texts to the opted-out contact", got)
	}

	// A second desktop sees what the first did offline.
	other, _ := joined(t, back, t.TempDir())
	if r, ok := rowOf(t, other, camp, client.FilterArchive, archived); !ok || r.ArchivedReason != client.ArchivedByUser {
		t.Fatalf("server: archived %+v %v", r, ok)
	}
	if r, _ := rowOf(t, other, camp, client.FilterAll, read); r.Unread {
		t.Fatal("server: read thread unread")
	}
	v, _ = other.Thread(ctx, reported)
	if len(v.Reports) != 1 || v.Reports[0].Values["will_vote"] != "true" {
		t.Fatalf("server: reports %+v", v.Reports)
	}
	v, _ = other.Thread(ctx, replied)
	if last := v.Messages[len(v.Messages)-1]; last.Body != "Polls close at 8pm." || last.Pending {
		t.Fatalf("server: reply %+v", last)
	}
}
