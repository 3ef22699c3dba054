package cache_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// benchCache holds 20,000 threads of one campaign, applied in pages of 500
// the way sync delivers them.
func benchCache(b *testing.B) *cache.Cache {
	b.Helper()
	c := open(b)
	r := rand.New(rand.NewPCG(7, 7))
	const total, page = 20000, 500
	for start := 0; start < total; start += page {
		var changes []api.Change
		for i := start; i < start+page; i++ {
			th := randomThread(r, fmt.Sprintf("t%05d", i), "c1")
			changes = append(changes, change(b, int64(i+1), api.KindThread, th.ID, th))
			changes = append(changes, change(b, int64(i+1), api.KindMessage, "m"+th.ID,
				api.Message{ID: "m" + th.ID, ThreadID: th.ID, Direction: api.DirInbound, Body: "Reply " + th.ID, CreatedAt: th.LastMessageAt}))
		}
		if _, err := c.ApplyPage(context.Background(), api.SyncResponse{Changes: changes, Cursor: int64(start + page)}); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

func BenchmarkCounts20k(b *testing.B) {
	c := benchCache(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Counts(ctx, "c1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkThreads20k(b *testing.B) {
	c := benchCache(b)
	ctx := context.Background()
	for _, f := range []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention, inbox.Team} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: f, CampaignID: "c1", Limit: 50})
				if err != nil || len(rows) != 50 {
					b.Fatalf("%d rows, %v", len(rows), err)
				}
			}
		})
	}
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, CampaignID: "c1", Search: "contact t1", Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
