package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/inbox"
)

// BenchmarkSearchIndex times find over 100,000 threads held in memory, per
// kind of query, one and two characters included ("xq" matches nothing, so
// it reads every thread), and keeping the index after a write. Not a table
// figure: BenchmarkTableCache100k/search is, with SQL's page read.
func BenchmarkSearchIndex(b *testing.B) {
	first := []string{"Ada", "Alan", "Grace", "Mary", "Maria", "Mark", "Jennifer", "James", "Linda", "Robert", "Patricia", "Michael"}
	last := []string{"Lovelace", "Turing", "Hopper", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez"}
	ix := newSearchIndex()
	close(ix.ready)
	r := rand.New(rand.NewPCG(1, 1))
	var changes []indexChange
	for i := range 100_000 {
		row := indexRow{id: fmt.Sprintf("k%06d", i), name: first[r.IntN(len(first))] + " " + last[r.IntN(len(last))],
			digits: fmt.Sprintf("1%03d555%04d", 200+i/10000%800, i%10000), at: r.Int64N(int64(60 * 24 * time.Hour)), live: true}
		row.name = strings.ToLower(row.name)
		fl := inbox.Flags{ActionType: "p2p", Archived: r.IntN(4) == 0, Unread: r.IntN(5) == 0, NeedsAttention: r.IntN(4) == 0}
		for i, f := range inbox.Filters {
			if inbox.Listed(f, fl) {
				row.filters |= 1 << i
			}
		}
		row.campaign = ix.campaignCode([]string{"c1", "c2"}[i%10/9])
		changes = append(changes, indexChange{rowid: int64(i + 1), row: row})
	}
	ix.apply(changes)
	// A reply: one row gets a new time and moves to the top.
	b.Run("apply_one_change", func(b *testing.B) {
		c := changes[500]
		for b.Loop() {
			c.row.at++
			ix.apply([]indexChange{c})
		}
	})
	for _, q := range []string{"m", "ma", "xq", "mar", "ovel", "jennifer hop", "1203", "0101", "2035550101"} {
		for _, f := range []inbox.Filter{inbox.All, inbox.Unread} {
			b.Run(q+"/"+string(f), func(b *testing.B) {
				s, _ := parseSearch(q)
				for b.Loop() {
					if _, err := ix.find(context.Background(), s, ThreadQuery{Filter: f, CampaignID: "c1", Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// FuzzSearchIndex: whatever is typed, find gives the page a scan of the
// rows gives (parseSearch's reading of it, then a substring of the name
// or the digits), for every filter and page.
func FuzzSearchIndex(f *testing.F) {
	names := []string{"Ada Lovelace", "Grace Hopper", "Zoë Ångström", "Mary-Jo O'Neil", "", "ANNA BANANA", "Li", "x"}
	ix := newSearchIndex()
	close(ix.ready)
	r := rand.New(rand.NewPCG(2, 2))
	var changes []indexChange
	for i := range 300 {
		row := indexRow{id: fmt.Sprintf("t%03d", i), name: strings.ToLower(names[r.IntN(len(names))]),
			digits: digits(fmt.Sprintf("+1 (%03d) 555-%04d", 200+r.IntN(3), r.IntN(10000))), at: int64(r.IntN(50)), live: true}
		fl := inbox.Flags{ActionType: []string{"p2p", inbox.TypeTeam}[r.IntN(2)], Archived: r.IntN(4) == 0, Unread: r.IntN(2) == 0}
		for i, f := range inbox.Filters {
			if inbox.Listed(f, fl) {
				row.filters |= 1 << i
			}
		}
		row.campaign = ix.campaignCode("c1")
		changes = append(changes, indexChange{rowid: int64(i + 1), row: row})
	}
	ix.apply(changes)
	for _, q := range []string{"a", "an", "ana", "love", "ö", "Ång", "555", "(201)", "o'n", " ", "x", "0", "20155"} {
		f.Add(q, 0, 50)
	}
	f.Fuzz(func(t *testing.T, typed string, offset, limit int) {
		s, ok := parseSearch(typed)
		if !ok {
			return
		}
		offset, limit = max(0, offset%400), 1+max(0, limit%400)
		for fi, filter := range inbox.Filters {
			got, err := ix.find(context.Background(), s, ThreadQuery{Filter: filter, CampaignID: "c1", Offset: offset, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			var want []int32
			for _, slot := range ix.order {
				row := &ix.rows[slot]
				hay := row.name
				if s.number {
					hay = row.digits
				}
				if row.filters&(1<<fi) != 0 && strings.Contains(hay, s.text) {
					want = append(want, slot)
				}
			}
			want = want[min(offset, len(want)):min(offset+limit, len(want))]
			if len(got) != len(want) {
				t.Fatalf("%q under %s, page %d+%d: %d rows, a scan %d", typed, filter, offset, limit, len(got), len(want))
			}
			for i := range got {
				if got[i] != int64(want[i]) {
					t.Fatalf("%q under %s: row %d is %d, a scan says %d", typed, filter, i, got[i], want[i])
				}
			}
		}
	})
}

// TestIndexOrderAfterEveryKindOfChange: after batches of new, retimed and
// gone rows, few (moved one by one) and many (merged), order is every live
// row newest first, each once.
func TestIndexOrderAfterEveryKindOfChange(t *testing.T) {
	ix := newSearchIndex()
	close(ix.ready)
	r := rand.New(rand.NewPCG(5, 5))
	const rows = 400
	for round := range 60 {
		var changes []indexChange
		n := []int{1, 3, 16, 17, 40, 250}[round%6]
		for range n {
			rowid := int64(1 + r.IntN(rows))
			row := indexRow{id: fmt.Sprintf("t%03d", rowid), name: "ada", digits: "1555", at: int64(r.IntN(30)), live: r.IntN(5) > 0}
			changes = append(changes, indexChange{rowid: rowid, row: row})
		}
		ix.apply(changes)
		var want []int32
		for slot := range ix.rows {
			if ix.rows[slot].live {
				want = append(want, int32(slot))
			}
		}
		slices.SortFunc(want, func(a, b int32) int {
			if newer(&ix.rows[a], &ix.rows[b]) {
				return -1
			}
			return 1
		})
		if !slices.Equal(ix.order, want) {
			t.Fatalf("round %d (%d changes): order %v, want %v", round, n, ix.order, want)
		}
	}
}

// sampleMatches is what keeps a search for a whole number (whose rarest
// trigram is in thousands of numbers, the number in one) from walking every
// thread: its estimate must be near the true count, and 0 when nothing in
// the sample matches.
func TestSampleMatchesEstimates(t *testing.T) {
	list := make([]int32, 10_000)
	for i := range list {
		list[i] = int32(i)
	}
	for _, c := range []struct {
		every int // every n-th slot matches (0: none)
		want  int
	}{{1, 10_000}, {2, 5_000}, {3, 3_333}, {10, 1_000}, {4, 2_500}, {78, 128}, {0, 0}} {
		got := sampleMatches(list, func(s int32) bool { return c.every > 0 && s%int32(c.every) == 0 })
		// Within a fifth, or one sampled match's worth for rare ones.
		if slack := max(c.want/5, len(list)/128); got < c.want-slack || got > c.want+slack {
			t.Errorf("every %d: estimated %d matches, want about %d", c.every, got, c.want)
		}
	}
	short := []int32{1, 2, 3}
	if got := sampleMatches(short, func(s int32) bool { return s != 2 }); got != 2 {
		t.Errorf("a short list is counted whole: got %d, want 2", got)
	}
}
