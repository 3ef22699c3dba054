package cache_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// A search gives the same answer whether the filter's newest threads hold a
// page of matches (the window) or only the full-text index finds them, and
// follows renames and deletes.
func TestSearchAtScale(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	var changes []api.Change
	names := []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"}
	for i := range 1500 {
		th := serverThread(fmt.Sprintf("%04d", i), api.ActionP2P)
		th.ContactName = names[i%len(names)]
		th.ContactPhone = fmt.Sprintf("+1555%07d", i)
		th.LastMessageAt = t0.Add(time.Duration(i) * time.Minute)
		changes = append(changes, change(t, int64(i+1), api.KindThread, th.ID, th))
	}
	// The oldest thread has a name nobody else has: only the index finds it.
	rare := serverThread("rare", api.ActionP2P)
	rare.ContactName, rare.ContactPhone, rare.LastMessageAt = "Barbara Liskov", "+15559990000", t0.Add(-time.Hour)
	changes = append(changes, change(t, 2000, api.KindThread, rare.ID, rare))
	apply(t, c, changes...)

	ids := func(q cache.ThreadQuery) []string {
		t.Helper()
		rows, err := c.Threads(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	// A quarter of all threads match: a two-letter query fills the page
	// from the window, longer ones by walking the list against the index's
	// candidates; all newest first.
	for _, q := range []string{"ov", "ove", "ovel"} {
		got := ids(cache.ThreadQuery{Filter: inbox.All, Search: q})
		if len(got) != 50 || got[0] != "1496" || got[1] != "1492" || got[49] != "1300" {
			t.Fatalf("%s: %d rows starting %v", q, len(got), got[:min(3, len(got))])
		}
	}
	// Paging deep walks further and agrees.
	far := ids(cache.ThreadQuery{Filter: inbox.All, Search: "ovel", Offset: 350, Limit: 25})
	if len(far) != 25 || far[0] != fmt.Sprintf("%04d", 1496-4*350) {
		t.Fatalf("ovel page at 350: %v", far)
	}
	for _, q := range []string{"iskov", "barbara l", "LISK", "999 0000", "9990000"} {
		if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: q}); !slices.Equal(got, []string{"rare"}) {
			t.Errorf("search %q = %v, want [rare]", q, got)
		}
	}
	if got := ids(cache.ThreadQuery{Filter: inbox.Unread, Search: "liskov"}); len(got) != 0 {
		t.Errorf("liskov under Unread = %v, want none (never replied)", got)
	}

	// A rename re-indexes; a delete un-indexes.
	rare.ContactName = "Barbara Jones"
	apply(t, c, change(t, 2001, api.KindThread, rare.ID, rare))
	if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: "liskov"}); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: "jones"}); !slices.Equal(got, []string{"rare"}) {
		t.Errorf("new name: %v", got)
	}
	apply(t, c, api.Change{Version: 2002, Kind: api.KindThread, ID: rare.ID, Deleted: true})
	if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: "jones"}); len(got) != 0 {
		t.Errorf("deleted thread still found: %v", got)
	}
}

// Threads written while the cache was closed (an older app, another
// process) are found by what they hold now: the index is read from the
// table when the cache opens.
func TestSearchIndexReadAtOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	th := serverThread("1", api.ActionP2P)
	th.ContactName = "Ada Lovelace"
	apply(t, c, change(t, 1, api.KindThread, th.ID, th))
	c.Close()

	raw, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE threads SET contact_name = 'Grace Hopper' WHERE id = '1'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	c, err = cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for q, want := range map[string]int{"ovela": 0, "race hop": 1} {
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, Search: q})
		if err != nil || len(rows) != want {
			t.Fatalf("search %q after reopening: %+v, %v; want %d rows", q, rows, err, want)
		}
	}
}

// The search index follows every kind of write: an optimistic archive
// moves a thread from All to Archive, a reply makes it the newest, hiding
// it (a block) takes it out, and a refusal brings it back.
func TestSearchFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	var changes []api.Change
	for i := range 5 {
		th := serverThread(fmt.Sprint(i), api.ActionP2P)
		th.ContactName = fmt.Sprintf("Ada Lovelace %d", i)
		th.LastMessageAt = t0.Add(time.Duration(i) * time.Minute)
		changes = append(changes, change(t, int64(10+i), api.KindThread, th.ID, th))
	}
	apply(t, c, changes...)
	ids := func(f inbox.Filter) []string {
		t.Helper()
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: f, Search: "lovel"})
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(inbox.All); !slices.Equal(got, []string{"4", "3", "2", "1", "0"}) {
		t.Fatalf("All: %v", got)
	}
	if err := c.Archive(ctx, "3", true, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, arch := ids(inbox.All), ids(inbox.Archive); !slices.Equal(got, []string{"4", "2", "1", "0"}) || !slices.Equal(arch, []string{"3"}) {
		t.Fatalf("after archiving 3: All %v, Archive %v", got, arch)
	}
	if err := c.Reply(ctx, "0", "m0", "hello", "", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := ids(inbox.All); !slices.Equal(got, []string{"0", "4", "2", "1"}) {
		t.Fatalf("after replying to 0: %v", got)
	}
	block := api.Mutation{Type: api.MutBlock, ThreadID: "4", Reason: api.BlockSpam}
	if _, err := c.HideThreads(ctx, block, []string{"4"}, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := ids(inbox.All); !slices.Equal(got, []string{"0", "2", "1"}) {
		t.Fatalf("after blocking 4: %v", got)
	}
	out, err := c.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	blocks := slices.DeleteFunc(out, func(p cache.OutboxRow) bool { return p.Mutation.Type != api.MutBlock })
	if len(blocks) != 1 {
		t.Fatalf("outbox holds %d blocks", len(blocks))
	}
	if err := c.MarkRejected(ctx, blocks[0].Mutation.ID, api.RejectNotAssigned, "no"); err != nil {
		t.Fatal(err)
	}
	if got := ids(inbox.All); !slices.Equal(got, []string{"0", "4", "2", "1"}) {
		t.Fatalf("after the block was refused: %v", got)
	}
}

// The index gives exactly the page a scan of the table gives, for every
// filter, in one campaign and in all, at any offset, for names and numbers,
// queries of one to six characters, while threads are renamed and deleted.
func TestSearchAgreesWithAScan(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	r := rand.New(rand.NewPCG(5, 5))
	first := []string{"Ada", "Alan", "Grace", "Mary", "Maria", "Mark", "Anna", "Jo"}
	last := []string{"Lovelace", "Turing", "Hopper", "Marsh", "Banana", "Smith", "O'Neil"}
	types := []string{api.ActionP2P, api.ActionFriends, api.ActionTeam, api.ActionCanvassing}
	thread := func(i int) api.Thread {
		th := api.Thread{ID: fmt.Sprintf("t%04d", i), CampaignID: []string{"c1", "c2"}[r.IntN(2)], ActionType: types[r.IntN(len(types))],
			ContactName: first[r.IntN(len(first))] + " " + last[r.IntN(len(last))], ContactPhone: fmt.Sprintf("+1%03d555%04d", 200+r.IntN(3), r.IntN(10000)),
			LastMessageAt: t0.Add(time.Duration(r.IntN(500)) * time.Minute), Archived: r.IntN(4) == 0}
		th.ActionID = th.CampaignID + th.ActionType
		if r.IntN(2) == 0 {
			in := th.LastMessageAt
			th.LastInboundAt = &in
		}
		return th
	}
	var changes []api.Change
	for i := range 1200 {
		th := thread(i)
		changes = append(changes, change(t, int64(i+1), api.KindThread, th.ID, th))
	}
	apply(t, c, changes...)
	// Renames and deletes after the fact.
	changes = nil
	for i := range 100 {
		if i%3 == 0 {
			changes = append(changes, api.Change{Version: int64(2000 + i), Kind: api.KindThread, ID: fmt.Sprintf("t%04d", i*7), Deleted: true})
			continue
		}
		th := thread(i * 7)
		changes = append(changes, change(t, int64(2000+i), api.KindThread, th.ID, th))
	}
	apply(t, c, changes...)

	raw, err := sql.Open("sqlite3", c.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	where := map[inbox.Filter]string{
		inbox.All: "archived = 0", inbox.Unread: "archived = 0 AND unread = 1", inbox.NeedsAttention: "archived = 0 AND needs_attention = 1",
		inbox.Archive: "archived = 1", inbox.Friends: "archived = 0 AND action_type = 'friends'", inbox.Team: "archived = 0 AND action_type = 'team'",
		inbox.Canvassing: "archived = 0 AND action_type = 'canvassing'",
	}
	scan := func(q cache.ThreadQuery, text string, number bool) []string {
		hay := "lower(contact_name)"
		if number {
			hay = "replace(contact_phone, '+', '')"
		}
		query := `SELECT id FROM threads WHERE ` + where[q.Filter] + ` AND instr(` + hay + `, ?) > 0`
		args := []any{text}
		if q.CampaignID != "" {
			query += ` AND campaign_id = ?`
			args = append(args, q.CampaignID)
		}
		rows, err := raw.Query(query+` ORDER BY last_message_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := []string{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	queries := []struct {
		typed, text string
		number      bool
	}{
		{"a", "a", false}, {"Ma", "ma", false}, {"mar", "mar", false}, {"ARIA", "aria", false}, {"ana", "ana", false},
		{"o'ne", "o'ne", false}, {"y sm", "y sm", false}, {"grace hopper", "grace hopper", false}, {"zzz", "zzz", false},
		{"2", "2", true}, {"55", "55", true}, {"1203", "1203", true}, {"(201) 555", "201555", true}, {"0", "0", true},
	}
	checked := 0
	for _, qq := range queries {
		for _, f := range inbox.Filters {
			for _, campaign := range []string{"", "c2"} {
				for _, page := range [][2]int{{0, 50}, {40, 25}, {0, 1000}} {
					q := cache.ThreadQuery{Filter: f, CampaignID: campaign, Search: qq.typed, Offset: page[0], Limit: page[1]}
					rows, err := c.Threads(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					got := []string{}
					for _, r := range rows {
						got = append(got, r.ID)
					}
					if want := scan(q, qq.text, qq.number); !slices.Equal(got, want) {
						t.Fatalf("%+v: index gives %d rows %v, a scan %d %v", q, len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
					}
					checked += len(got)
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d rows compared: the data does not exercise the search", checked)
	}
}

// Searches run while sync pages are applied (go test -race checks the
// index's locking); each sees a consistent page.
func TestSearchDuringWrites(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	done := make(chan error, 1)
	go func() {
		for i := range 40 {
			var changes []api.Change
			for j := range 25 {
				th := serverThread(fmt.Sprintf("%03d", i*25+j), api.ActionP2P)
				th.ContactName = fmt.Sprintf("Ada Lovelace %d", j)
				th.LastMessageAt = t0.Add(time.Duration(i*25+j) * time.Second)
				changes = append(changes, change(t, int64(i*25+j+1), api.KindThread, th.ID, th))
			}
			if _, err := c.ApplyPage(ctx, api.SyncResponse{Changes: changes, Cursor: int64(i*25 + 25)}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, Search: "lovelace 1"})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(rows); i++ {
			if rows[i].LastMessageAt.After(rows[i-1].LastMessageAt) {
				t.Fatalf("page out of order at %d", i)
			}
		}
	}
	rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, Search: "lovelace 1", Limit: 1000})
	if err != nil || len(rows) != 40*11 { // 1 and 10-19 of every page
		t.Fatalf("after the writes: %d rows, %v; want %d", len(rows), err, 40*11)
	}
}
