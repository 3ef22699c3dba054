package client

import (
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// BenchmarkSummariesPage times what the client adds to an inbox query for
// a page of 100 rows: the rows for the window, with each contact's name
// and number as shown (phone.Display). The query itself is
// BenchmarkTableCache100k's (backend/cache).
func BenchmarkSummariesPage(b *testing.B) {
	at := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		named bool
		phone string // with %04d for the row
	}{
		{"north_american_named", true, "+1602555%04d"},
		{"north_american_unnamed", false, "+1602555%04d"},
		{"uk_unnamed", false, "+44207946%04d"},
	} {
		rows := make([]cache.ThreadRow, 100)
		for i := range rows {
			rows[i] = cache.ThreadRow{ID: fmt.Sprint("t", i), CampaignID: "c1", ActionID: "a1", ActionType: api.ActionP2P,
				ActionTitle: "Get Out The Vote", ContactPhone: fmt.Sprintf(tc.phone, i), LastMessage: "Yes, see you there",
				LastMessageAt: at, Unread: i%2 == 0, NeedsAttention: i%3 == 0}
			if tc.named {
				rows[i].ContactName = "Ada Lovelace"
			}
		}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				summaries(rows)
			}
		})
	}
}
