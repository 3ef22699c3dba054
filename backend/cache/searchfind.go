package cache

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/inbox"
)

// A search in the in-memory index (searchindex.go): the candidates of the
// query, the page of them newest first.

// find returns the rowids of the page q asks for, in list order.
func (ix *searchIndex) find(ctx context.Context, s search, q ThreadQuery) ([]int64, error) {
	select {
	case <-ix.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if ix.err != nil {
		return nil, ix.err
	}
	ix.staleMu.Lock()
	stale := ix.stale
	ix.staleMu.Unlock()
	if stale != nil {
		return nil, stale
	}
	bit := uint8(0)
	for i, f := range inbox.Filters {
		if f == q.Filter {
			bit = 1 << i
		}
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	campaign, anyCampaign := uint16(0), q.CampaignID == ""
	if !anyCampaign {
		c, ok := ix.campaigns[q.CampaignID]
		if !ok {
			return nil, nil
		}
		campaign = c
	}
	field, needle := gramName, s.text
	if s.number {
		field = gramDigits
	}
	listed := func(r *indexRow) bool {
		return r.live && r.filters&bit != 0 && (anyCampaign || r.campaign == campaign)
	}
	holds := func(r *indexRow) bool {
		if s.number {
			return strings.Contains(r.digits, needle)
		}
		return strings.Contains(r.name, needle)
	}
	// The rarest trigram's list holds every match; for one or two
	// characters, the rows holding each of them do. When that is many, the
	// matches are common: walking the list order and stopping at a page
	// reads fewer rows than going through them all (with c candidates
	// among n threads a walk reads about page*n/c rows).
	var best []int32
	var tiny bitset
	candidates := 0
	if len(needle) >= 3 {
		for i := 0; i+3 <= len(needle); i++ {
			list, ok := ix.grams[gram(uint32(field), []byte(needle[i:i+3]))]
			if !ok {
				return nil, nil
			}
			if best == nil || len(list) < len(best) {
				best = list
			}
		}
		candidates = len(best)
	} else {
		f := 0
		if s.number {
			f = 1
		}
		tiny = slices.Clone(ix.chars[f][needle[0]])
		if len(needle) == 2 {
			other := ix.chars[f][needle[1]]
			tiny = tiny[:min(len(tiny), len(other))]
			for i := range tiny {
				tiny[i] &= other[i]
			}
		}
		for _, w := range tiny {
			candidates += bits.OnesCount64(w)
		}
		if candidates == 0 {
			return nil, nil
		}
	}
	page := q.Offset + q.Limit
	walk := candidates*candidates > page*len(ix.order)
	if walk && best != nil {
		// The list overstates the matches when the filter or campaign
		// keeps few of them, or when the needle is longer than a trigram
		// (a whole number's rarest trigram is in thousands of numbers, the
		// number in one): a walk would then read every thread. A sample of
		// the list says how many match; with m matches a walk reads about
		// page*n/m rows, checking the list reads all of it.
		matches := sampleMatches(best, func(slot int32) bool {
			r := &ix.rows[slot]
			return listed(r) && (len(needle) == 3 || holds(r))
		})
		walk = matches*candidates > page*len(ix.order)
	}
	if walk {
		var out []int64
		seen := 0
		for _, slot := range ix.order {
			r := &ix.rows[slot]
			if (tiny != nil && !tiny.has(slot)) || !listed(r) || (len(needle) > 1 && !holds(r)) {
				continue
			}
			if seen >= q.Offset {
				out = append(out, int64(slot))
			}
			if seen++; seen == page {
				break
			}
		}
		return out, nil
	}
	// Few candidates: each is checked (whole, when the needle is longer
	// than its trigram or is two characters) and the newest page kept.
	top := newTopRows(page)
	keep := func(slot int32) {
		if r := &ix.rows[slot]; listed(r) && (len(needle) == 3 || len(needle) == 1 || holds(r)) {
			top.offer(r, slot)
		}
	}
	if tiny != nil {
		for w, word := range tiny {
			for ; word != 0; word &= word - 1 {
				keep(int32(w*64 + bits.TrailingZeros64(word)))
			}
		}
	} else {
		for _, slot := range best {
			keep(slot)
		}
	}
	return top.page(q.Offset), nil
}

// sampleMatches estimates how many of list match, from 128 of them (all of
// a shorter list). They are picked at the golden ratio's multiples, not a
// fixed stride: a list in rowid order can hold a pattern (threads of two
// campaigns alternating) that a stride would see only half of.
func sampleMatches(list []int32, match func(int32) bool) int {
	const most = 128
	if len(list) <= most {
		hits := 0
		for _, slot := range list {
			if match(slot) {
				hits++
			}
		}
		return hits
	}
	hits := 0
	for k := range most {
		_, frac := math.Modf(float64(k) * 0.6180339887498949)
		if match(list[int(frac*float64(len(list)))]) {
			hits++
		}
	}
	return hits * len(list) / most
}

// topRows keeps the newest n rows offered, as a heap whose root is the
// oldest kept.
type topRows struct {
	n    int
	heap []topRow
}

type topRow struct {
	at   int64
	id   string
	slot int32
}

func newTopRows(n int) *topRows { return &topRows{n: n, heap: make([]topRow, 0, min(n, 1024))} }

// older: a sorts after b in the list (older, or as old with a smaller id).
func older(a, b topRow) bool { return a.at < b.at || (a.at == b.at && a.id < b.id) }

func (t *topRows) offer(r *indexRow, slot int32) {
	if len(t.heap) == t.n {
		root := t.heap[0]
		if r.at < root.at || (r.at == root.at && r.id <= root.id) {
			return
		}
		t.heap[0] = topRow{r.at, r.id, slot}
		t.down(0)
		return
	}
	t.heap = append(t.heap, topRow{r.at, r.id, slot})
	for i := len(t.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !older(t.heap[i], t.heap[p]) {
			break
		}
		t.heap[i], t.heap[p] = t.heap[p], t.heap[i]
		i = p
	}
}

func (t *topRows) down(i int) {
	for {
		l, m := 2*i+1, i
		if l < len(t.heap) && older(t.heap[l], t.heap[m]) {
			m = l
		}
		if r := l + 1; r < len(t.heap) && older(t.heap[r], t.heap[m]) {
			m = r
		}
		if m == i {
			return
		}
		t.heap[i], t.heap[m] = t.heap[m], t.heap[i]
		i = m
	}
}

// page is the rows kept past offset, newest first.
func (t *topRows) page(offset int) []int64 {
	slices.SortFunc(t.heap, func(a, b topRow) int {
		if older(b, a) {
			return -1
		}
		if older(a, b) {
			return 1
		}
		return 0
	})
	if offset >= len(t.heap) {
		return nil
	}
	out := make([]int64, 0, len(t.heap)-offset)
	for _, r := range t.heap[offset:] {
		out = append(out, int64(r.slot))
	}
	return out
}

// bitset is a set of slots.
type bitset []uint64

func (b *bitset) set(slot int32) {
	w := int(slot) / 64
	if w >= len(*b) {
		*b = slices.Grow(*b, w+1-len(*b))[:w+1]
	}
	(*b)[w] |= 1 << (slot % 64)
}

func (b *bitset) clear(slot int32) {
	if w := int(slot) / 64; w < len(*b) {
		(*b)[w] &^= 1 << (slot % 64)
	}
}

func (b bitset) has(slot int32) bool {
	w := int(slot) / 64
	return w < len(b) && b[w]&(1<<(slot%64)) != 0
}
