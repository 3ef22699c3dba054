package server

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/cache/benchbase"
	"github.com/textbank/textbank/backend/server/store"
)

// seedInbox gives one volunteer n threads of a campaign (every action
// type), each texted once and four in ten replied to, with the feed rows the
// send and inbound paths write.
func seedInbox(b *testing.B, st store.Store, n int) (userID string) {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(5, 5))
	userID = "u-volunteer"
	err := st.Update(ctx, func(tx store.Tx) error {
		org := store.Organization{ID: "org", Name: "Org", CreatedAt: now}
		if err := tx.CreateOrganization(ctx, org); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, store.User{ID: userID, Name: "Vera", Email: "vera@example.org", PasswordHash: "x", CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: "c1", OrganizationID: org.ID, Name: "Vote Yes", JoinCode: "123456", Active: true, CreatedAt: now}); err != nil {
			return err
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: "c1", UserID: userID, Role: store.RoleVolunteer, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.AddSendingNumber(ctx, "c1", "+15550001000", now); err != nil {
			return err
		}
		if _, err := tx.AssignSendingNumber(ctx, "c1", userID, now); err != nil {
			return err
		}
		if _, err := tx.AppendFeed(ctx, userID, api.KindCampaign, "c1", now); err != nil {
			return err
		}
		types := []string{api.ActionP2P, api.ActionBroadcast, api.ActionFriends, api.ActionTeam, api.ActionCanvassing}
		for _, typ := range types {
			a := store.Action{ID: "a-" + typ, CampaignID: "c1", Type: typ, Title: "Action " + typ, Scripts: []string{"Hi {first_name}"},
				TextingHours: store.TextingHours{Start: "09:00", End: "21:00"}, CreatorID: userID, CreatedAt: now}
			if err := tx.CreateAction(ctx, a); err != nil {
				return err
			}
			if _, err := tx.AppendFeed(ctx, userID, api.KindAction, a.ID, now); err != nil {
				return err
			}
		}
		for i := range n {
			id := fmt.Sprintf("k%06d", i)
			typ := types[r.IntN(len(types))]
			out := now.Add(-time.Duration(r.Int64N(int64(60 * 24 * time.Hour))))
			c := store.Contact{ID: id, ActionID: "a-" + typ, FirstName: "Contact", LastName: id, Phone: benchbase.Phone(i),
				State: store.ContactTexted, AssignedTo: userID, AssignedAt: &out, CreatedAt: now}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			th := store.Thread{ID: id, ActionID: c.ActionID, CampaignID: "c1", OrganizationID: org.ID, OwnerID: userID,
				ContactName: benchbase.Name(r), ContactPhone: c.Phone, SendingNumber: "+15550001000",
				LastMessageAt: out, LastOutboundAt: &out, CreatedAt: out}
			msgs := []store.Message{{ID: "o" + id, ThreadID: id, Direction: api.DirOutbound, Body: "Hi, will you vote on Tuesday?",
				Status: api.StatusDelivered, Initial: true, SenderID: userID, CreatedAt: out}}
			if r.IntN(10) < 4 {
				in := out.Add(time.Duration(r.Int64N(int64(48 * time.Hour))))
				th.LastInboundAt, th.LastMessageAt = &in, in
				msgs = append(msgs, store.Message{ID: "i" + id, ThreadID: id, Direction: api.DirInbound, Body: "Yes, see you there",
					Status: api.StatusDelivered, CreatedAt: in})
			}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			if _, err := tx.AppendFeed(ctx, userID, api.KindThread, id, now); err != nil {
				return err
			}
			for _, m := range msgs {
				if err := tx.CreateMessage(ctx, m); err != nil {
					return err
				}
				if _, err := tx.AppendFeed(ctx, userID, api.KindMessage, m.ID, now); err != nil {
					return err
				}
			}
			if r.IntN(4) == 0 {
				if err := tx.PutInboxState(ctx, store.InboxState{UserID: userID, ThreadID: id, Archived: true, ArchivedReason: "manual"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed %d threads: %v", n, err)
	}
	return userID
}

// benchInitialSync times a new desktop's first sync of n threads: the
// server builds every page and the cache applies it, as the sync engine
// does (without HTTP). The baseline is the rows the cache ends up with
// inserted raw into the same schema.
func benchInitialSync(b *testing.B, n int) {
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "server.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	userID := seedInbox(b, st, n)
	c, err := cache.Open(ctx, filepath.Join(dir, "cache"))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	var build time.Duration
	runtime.GC()
	run, err := benchbase.TimeRun(func() error {
		cursor := int64(0)
		for {
			var page api.SyncResponse
			t := time.Now()
			err := st.View(ctx, func(tx store.Tx) error {
				var err error
				page, err = buildSync(ctx, tx, userID, cursor, defaultSyncLimit, api.SyncPageBytes)
				return err
			})
			build += time.Since(t)
			if err != nil {
				return err
			}
			if _, err := c.ApplyPage(ctx, page); err != nil {
				return err
			}
			cursor = page.Cursor
			if !page.More {
				return nil
			}
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	base, err := benchbase.RawInsert(ctx, c.Path(), filepath.Join(dir, "raw"), defaultSyncLimit)
	if err != nil {
		b.Fatal(err)
	}
	benchbase.ReportRate(b, n, "threads/s", run, base)
	b.Logf("%d threads in %v: building pages %v (%.0f%%), applying %v", n, run.Wall, build, 100*build.Seconds()/run.Wall.Seconds(), run.Wall-build)
}

func BenchmarkTableInitialSync20k(b *testing.B)  { benchInitialSync(b, 20_000) }
func BenchmarkTableInitialSync100k(b *testing.B) { benchInitialSync(b, 100_000) }

// seedRecent writes what a volunteer's next pull finds after a few sends,
// as the load driver's volunteers make them: a hand-out of five contacts,
// five first texts to earlier ones, status changes of five earlier texts
// and two replies. It answers the cursor before it.
func seedRecent(b *testing.B, st store.Store, userID string) (cursor int64) {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 11, 16, 0, 0, 0, time.UTC)
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		if cursor, err = tx.AppendFeed(ctx, userID, api.KindSettings, userID, now); err != nil {
			return err
		}
		for i := range 10 {
			id := fmt.Sprintf("n%06d", i)
			state := store.ContactAssigned
			if i < 5 {
				state = store.ContactTexted
			}
			c := store.Contact{ID: id, ActionID: "a-" + api.ActionP2P, FirstName: "New", LastName: id, Phone: benchbase.Phone(900_000 + i),
				State: state, AssignedTo: userID, AssignedAt: &now, CreatedAt: now}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			if i >= 5 {
				if _, err := tx.AppendFeed(ctx, userID, api.KindAssignment, id, now); err != nil {
					return err
				}
				continue
			}
			th := store.Thread{ID: id, ActionID: c.ActionID, CampaignID: "c1", OrganizationID: "org", OwnerID: userID,
				ContactName: "New " + id, ContactPhone: c.Phone, SendingNumber: "+15550001000", LastMessageAt: now, LastOutboundAt: &now, CreatedAt: now}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			m := store.Message{ID: "o" + id, ThreadID: id, Direction: api.DirOutbound, Body: "Hi New, will you vote on Tuesday?",
				Status: api.StatusQueued, Initial: true, SenderID: userID, CreatedAt: now}
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
			if _, err := tx.AppendFeed(ctx, userID, store.FeedFirstText, m.ID, now); err != nil {
				return err
			}
		}
		for i := range 5 {
			if _, err := tx.AppendFeed(ctx, userID, api.KindMessage, fmt.Sprintf("ok%06d", i), now); err != nil {
				return err
			}
		}
		for _, id := range []string{"k000001", "k000002"} {
			if _, err := tx.AppendFeed(ctx, userID, api.KindThread, id, now); err != nil {
				return err
			}
			if _, err := tx.AppendFeed(ctx, userID, api.KindMessage, "o"+id, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed the recent rows: %v", err)
	}
	return cursor
}

// BenchmarkSyncSmallPage times the pull a volunteer makes every few sends
// (seedRecent's page, on a 2,000-thread inbox): the page built and encoded
// as handleSync answers it. cpu-us/op is the process's CPU (GC included),
// what a shared machine measures when wall time cannot.
func BenchmarkSyncSmallPage(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "server.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	userID := seedInbox(b, st, 2_000)
	cursor := seedRecent(b, st, userID)
	var changes int
	cpu0 := ProcessCPU()
	for b.Loop() {
		var page api.SyncResponse
		err := st.View(ctx, func(tx store.Tx) error {
			var err error
			page, err = buildSync(ctx, tx, userID, cursor, defaultSyncLimit, api.SyncPageBytes)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Discard.Write(page.AppendJSON(make([]byte, 0, page.JSONSize()+1))); err != nil {
			b.Fatal(err)
		}
		changes = len(page.Changes)
	}
	b.ReportMetric(float64(ProcessCPU()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-us/op")
	if changes < 20 {
		b.Fatalf("the page holds %d changes, want the recent rows' 20 or more", changes)
	}
}
