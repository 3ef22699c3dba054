package desktop

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache/benchbase"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// cachedThreads is the size of the volunteer's cache in the launch bench:
// a busy volunteer after a few weeks of a campaign.
const cachedThreads = 5000

// cachedVolunteer is a campaign server on loopback and a data dir in
// which its volunteer is already signed in, with every thread synced.
type cachedVolunteer struct {
	serverURL string
	dataDir   string
	threads   int
	stop      func()
}

// newCachedVolunteer starts the demo server with n extra conversations in
// the demo volunteer's inbox (four in ten answered), signs the volunteer in
// through the client package into dataDir (as the app's data dir: the
// cache under app/, the token in the cache file, no keyring) and waits for
// the first sync to bring every thread. The cache is then closed: what the
// app opens is a real cache of a real sync.
func newCachedVolunteer(tb testing.TB, n int) *cachedVolunteer {
	tb.Helper()
	ctx := context.Background()
	root := tb.TempDir()
	inst, err := demo.Start(ctx, demo.Options{Dir: filepath.Join(root, "server"), Log: zerolog.Nop(), BcryptCost: 4})
	if err != nil {
		tb.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = inst.Close(sctx)
		})
	}
	tb.Cleanup(stop)
	if err := seedConversations(ctx, inst.Store, inst.Info, n); err != nil {
		tb.Fatalf("seed %d conversations: %v", n, err)
	}

	tb.Logf("seeded %d conversations", n)
	dataDir := filepath.Join(root, "data")
	c, err := client.New(client.Config{DataDir: filepath.Join(dataDir, "app"), ServerURL: inst.URL, Log: zerolog.Nop()})
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if _, err := c.SignIn(ctx, inst.Info.VolunteerEmail, inst.Info.VolunteerPassword); err != nil {
		tb.Fatal(err)
	}
	camp, err := c.JoinCampaign(ctx, inst.Info.JoinCode)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("signed in and joined")
	want := n + demo.SeededThreads()
	waitUntil(tb, 120*time.Second, fmt.Sprintf("the first sync of %d threads", want), func() bool {
		counts, err := c.Counts(ctx, camp.ID)
		return err == nil && counts["all"]+counts["archive"] >= want
	})
	return &cachedVolunteer{serverURL: inst.URL, dataDir: dataDir, threads: want, stop: stop}
}

// seedConversations gives the demo volunteer n texted contacts of the demo
// campaign's p2p action, with the rows the send and inbound paths write
// (thread, messages, feed), spread over the last two months.
func seedConversations(ctx context.Context, st store.Store, info demo.Info, n int) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	r := rand.New(rand.NewPCG(9, 9))
	return st.Update(ctx, func(tx store.Tx) error {
		vol, err := tx.UserByEmail(ctx, info.VolunteerEmail)
		if err != nil {
			return err
		}
		camp, err := tx.CampaignByJoinCode(ctx, info.JoinCode)
		if err != nil {
			return err
		}
		number, err := tx.SendingNumber(ctx, camp.ID, vol.ID)
		if err != nil {
			return err
		}
		for i := range n {
			id := fmt.Sprintf("bench-%06d", i)
			// Times to the microsecond, as the server's own paths keep them (a
			// read stored at a reply's time cut to microseconds came out earlier
			// than a nanosecond reply, and the conversation turned unread again).
			out := now.Add(-time.Duration(r.Int64N(int64(60 * 24 * time.Hour)))).Truncate(time.Microsecond)
			name := benchbase.Name(r)
			c := store.Contact{ID: id, ActionID: info.ActionID, FirstName: name, LastName: "Bench", Phone: benchbase.Phone(i),
				Fields: map[string]string{}, State: store.ContactTexted, AssignedTo: vol.ID, AssignedAt: &out, CreatedAt: out}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			th := store.Thread{ID: id, ActionID: info.ActionID, CampaignID: camp.ID, OrganizationID: camp.OrganizationID, OwnerID: vol.ID,
				ContactName: name + " Bench", ContactPhone: c.Phone, SendingNumber: number,
				LastMessageAt: out, LastOutboundAt: &out, CreatedAt: out}
			msgs := []store.Message{{ID: "o" + id, ThreadID: id, Direction: api.DirOutbound, Body: "Hi, will you vote on Tuesday?",
				Status: api.StatusDelivered, Initial: true, SenderID: vol.ID, CreatedAt: out, SentAt: &out}}
			if r.IntN(10) < 4 {
				// A reply within two days of the text, never after now.
				in := out.Add(time.Duration(r.Int64N(int64(min(48*time.Hour, now.Sub(out)) + 1)))).Truncate(time.Microsecond)
				th.LastInboundAt, th.LastMessageAt = &in, in
				msgs = append(msgs, store.Message{ID: "i" + id, ThreadID: id, Direction: api.DirInbound, Body: "Yes, see you there",
					Status: api.StatusReceived, CreatedAt: in})
			}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			if _, err := tx.AppendFeed(ctx, vol.ID, api.KindThread, id, now); err != nil {
				return err
			}
			for _, m := range msgs {
				if err := tx.CreateMessage(ctx, m); err != nil {
					return err
				}
				if _, err := tx.AppendFeed(ctx, vol.ID, api.KindMessage, m.ID, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
