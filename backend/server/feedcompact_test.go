package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sms"
)

// feedClient is an app's cache at one point of a history, and what it was
// told on its way (announcements, hand-overs, opt-ins back).
type feedClient struct {
	name  string
	api   *api.Client
	cache *cache.Cache
	told  []string
}

// pull syncs the cache to the end of its user's feed, two changes a page
// so that pages end everywhere.
func (fc *feedClient) pull(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	cursor, err := fc.cache.Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		page, err := fc.api.Sync(ctx, cursor, 2)
		if err != nil {
			t.Fatalf("%s: sync after %d: %v", fc.name, cursor, err)
		}
		res, err := fc.cache.ApplyPage(ctx, page)
		if err != nil {
			t.Fatalf("%s: apply page after %d: %v", fc.name, cursor, err)
		}
		for _, n := range res.NewInbound {
			fc.told = append(fc.told, fmt.Sprintf("new reply %+v", n))
		}
		for _, r := range res.Reassigned {
			fc.told = append(fc.told, fmt.Sprintf("handed over %+v", r))
		}
		for _, o := range res.OptedBackIn {
			fc.told = append(fc.told, fmt.Sprintf("opted back in %+v", o))
		}
		cursor = page.Cursor
		if !page.More {
			return
		}
	}
}

// dump is every row of every table of the cache, sorted, the search
// index's own tables aside (its rowids follow the order rows came in).
func (fc *feedClient) dump(t *testing.T) string {
	t.Helper()
	db := cache.OpenDB(fc.cache.Path())
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search%' AND name <> 'goose_db_version' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var out strings.Builder
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				fmt.Fprintf(&b, "%s=%s ", cols[i], v)
			}
			lines = append(lines, b.String())
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(&out, "%s (%d rows)\n%s\n", table, len(lines), strings.Join(lines, "\n"))
	}
	return out.String()
}

// TestCompactedFeedSyncsTheSame: apps whose caches stopped at every point
// of a history (first texts, replies, a report, archive and unarchive, a
// delivery, a hand-over, an opt-out, a block, contacts given back, a
// hand-back) and sync
// from there two changes a page end with the same caches, told the same
// things, whether the feed was compacted before they synced or not.
func TestCompactedFeedSyncsTheSame(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 8, numbers: 1, batch: 6})
	vera, _ := f.member("vera", cf)
	admin := f.clientOf(f.admin)
	var before, after []*feedClient
	point := func(label string) {
		t.Helper()
		for _, who := range []struct {
			name string
			c    *api.Client
		}{{"vera", vera}, {"admin", admin}} {
			for _, list := range []*[]*feedClient{&before, &after} {
				ch, err := cache.Open(ctx, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ch.Close() })
				fc := &feedClient{name: who.name + " at " + label, api: who.c, cache: ch}
				fc.pull(t)
				*list = append(*list, fc)
			}
		}
	}
	mutate := func(m api.Mutation) {
		t.Helper()
		m.ID = uuid.NewString()
		m.CreatedAt = f.clock.Now()
		wantApplied(t, push(t, vera, m))
		f.drain()
	}
	var from string
	receive := func(phone, body string) {
		t.Helper()
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM" + uuid.NewString(), From: phone, To: from, Body: body, ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}

	point("the start")
	b, err := vera.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Assigned
	point("a batch")
	var first []string
	for _, as := range a[:5] {
		res, msgID := sendInitial(t, vera, as.ContactID)
		wantApplied(t, res)
		first = append(first, msgID)
	}
	sent := f.sent()
	from = sent[0].From
	point("first texts")
	if err := f.srv.UpdateStatus(ctx, sms.StatusUpdate{ProviderID: messageStatus(t, f, first[0]).ProviderID, Status: sms.StatusDelivered}); err != nil {
		t.Fatal(err)
	}
	receive(a[0].Phone, "Who is this?")
	point("a reply")
	mutate(api.Mutation{Type: api.MutReply, ThreadID: a[0].ContactID, MessageID: uuid.NewString(), Body: "Vera, with the campaign"})
	mutate(api.Mutation{Type: api.MutRead, ThreadID: a[0].ContactID, At: ptr(f.clock.Now())})
	point("an answer")
	mutate(api.Mutation{Type: api.MutReport, ThreadID: a[1].ContactID, ReportID: uuid.NewString(), Values: map[string]string{"will_vote": "true"}})
	mutate(api.Mutation{Type: api.MutArchive, ThreadID: a[2].ContactID, Archived: ptr(true)})
	point("a report and an archive")
	receive(a[2].Phone, "Actually, one more question")
	mutate(api.Mutation{Type: api.MutArchive, ThreadID: a[2].ContactID, Archived: ptr(false)})
	point("an unarchive")
	mutate(api.Mutation{Type: api.MutReassign, ThreadID: a[0].ContactID, ToUserID: f.admin.ID, Body: "over to you"})
	point("a hand-over")
	receive(a[0].Phone, "Hello? Still there?")
	receive(a[3].Phone, "STOP")
	point("an opt-out")
	mutate(api.Mutation{Type: api.MutBlock, ThreadID: a[4].ContactID, Reason: api.BlockSpam})
	if _, err := vera.Release(ctx, cf.action.ID, []string{a[5].ContactID}); err != nil {
		t.Fatal(err)
	}
	point("a block and a release")
	if b, err = vera.Batch(ctx, cf.action.ID); err != nil {
		t.Fatal(err)
	}
	for _, as := range b.Assigned[:1] {
		res, _ := sendInitial(t, vera, as.ContactID)
		wantApplied(t, res)
	}
	receive(a[1].Phone, "Yes I'll vote")
	f.drain()
	point("another batch")
	// A hand-back: the admin hands the conversation on and has it back,
	// its feed's older rows of it gone and the hand-over opened by a
	// handover row, which compaction keeps.
	beaUser := f.secondAdmin(cf)
	bea := f.clientOf(beaUser)
	for _, hand := range []struct {
		by *api.Client
		to string
	}{{admin, beaUser.ID}, {bea, f.admin.ID}} {
		wantApplied(t, push(t, hand.by, api.Mutation{ID: uuid.NewString(), CreatedAt: f.clock.Now(), Type: api.MutReassign,
			ThreadID: a[0].ContactID, ToUserID: hand.to}))
		receive(a[0].Phone, "Anyone?")
	}
	point("a hand-back")

	for _, fc := range before {
		fc.pull(t)
	}
	deleted, err := f.srv.CompactFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if deleted == 0 {
		t.Fatal("CompactFeed deleted no row: the history has first texts after their assignment and a delivered text")
	}
	if again, err := f.srv.CompactFeed(ctx); err != nil || again != 0 {
		t.Fatalf("a second CompactFeed = %d, %v; want 0, nil", again, err)
	}
	for i, fc := range after {
		fc.pull(t)
		want, got := before[i].dump(t), fc.dump(t)
		if got != want {
			t.Errorf("%s: the cache synced after compaction differs\nwithout compaction:\n%s\nwith:\n%s", fc.name, want, got)
		}
		if w, g := strings.Join(before[i].told, "\n"), strings.Join(fc.told, "\n"); g != w {
			t.Errorf("%s: told after compaction\n%s\nwant (without)\n%s", fc.name, g, w)
		}
	}
	t.Logf("compaction deleted %d feed rows; %d caches compared", deleted, len(after))
}
