package cache

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/textbank/textbank/backend/inbox"
)

// searchIndex holds in memory what a search needs of every thread: its name
// in lower case, its number's digits, its place in the list order and the
// filters it is listed under. A search reads the trigram lists for its
// candidates, keeps those of the filter and campaign, and picks the newest
// page of them; SQL then reads just that page by rowid. At 100,000 threads
// this is well under a millisecond where SQLite's full-text index took 2-6
// ms for a common three-letter prefix or a number fragment (its term scan
// merges thousands of one-thread lists), and it costs the writes nothing in
// SQLite.
//
// It follows every write: an update hook on the cache's connections notes
// the rowid of each threads row written, and write re-reads those rows
// once the transaction is over (see Cache.write). It is built from the
// table when the cache opens, in the background; searches wait for it.
type searchIndex struct {
	ready chan struct{} // closed once built (or failed: err)
	err   error

	// stale is why the last refresh failed (nil when it did not): searches
	// report it until a refresh succeeds, which re-reads those rows.
	staleMu sync.Mutex
	stale   error

	mu        sync.RWMutex
	rows      []indexRow         // by rowid
	grams     map[uint32][]int32 // trigram (see gram) -> rowids whose name or digits hold it
	campaigns map[string]uint16  // campaign id -> indexRow.campaign
	// order is every live row, newest first (the list's order); spare is
	// the buffer the next reordering writes into.
	order, spare []int32
	// chars[field][b] has bit slot set when that row's name (0) or digits
	// (1) hold byte b: the candidates of a one- or two-character search.
	chars [2][256]bitset

	dirtyMu sync.Mutex
	dirty   []int64 // rowids of threads written since they were last read
}

type indexRow struct {
	filters  uint8 // bit i: listed under inbox.Filters[i]
	live     bool
	campaign uint16
	at       int64  // last_message_at: the list sorts by (at, id) newest first
	id       string
	name     string // contact name in lower case
	digits   string // contact number's digits
}

// newer: row a comes before row b in the list.
func newer(a, b *indexRow) bool { return a.at > b.at || (a.at == b.at && a.id > b.id) }

// Trigram keys: which field, then three bytes. Names and numbers are apart
// so that "555" typed as a number never finds a name.
const (
	gramName   = 1 << 24
	gramDigits = 2 << 24
)

func gram(field uint32, b []byte) uint32 {
	return field | uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
}

// rowGrams are the distinct trigrams of a row.
func rowGrams(r *indexRow, out []uint32) []uint32 {
	out = out[:0]
	for _, f := range []struct {
		field uint32
		s     string
	}{{gramName, r.name}, {gramDigits, r.digits}} {
		for i := 0; i+3 <= len(f.s); i++ {
			out = append(out, gram(f.field, []byte(f.s[i:i+3])))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func newSearchIndex() *searchIndex {
	return &searchIndex{ready: make(chan struct{}), grams: map[uint32][]int32{}, campaigns: map[string]uint16{}}
}

// noteWrite is the update hook's side: the row must be read again.
func (ix *searchIndex) noteWrite(rowid int64) {
	ix.dirtyMu.Lock()
	ix.dirty = append(ix.dirty, rowid)
	ix.dirtyMu.Unlock()
}

func (ix *searchIndex) isReady() bool {
	select {
	case <-ix.ready:
		return true
	default:
		return false
	}
}

// build reads every thread, then what was written meanwhile. lockWrites
// holds the cache's writers off while it catches up, so no write's refresh
// is missed or applied out of order.
func (ix *searchIndex) build(ctx context.Context, db *sql.DB, lockWrites func() func()) {
	err := ix.read(ctx, db, nil)
	if err == nil {
		unlock := lockWrites()
		err = ix.refresh(ctx, db)
		ix.err = err
		close(ix.ready)
		unlock()
		return
	}
	ix.err = fmt.Errorf("build the search index: %w", err)
	close(ix.ready)
}

// refresh re-reads the rows written since the last refresh. The caller
// holds the cache's writers off (Cache.write).
func (ix *searchIndex) refresh(ctx context.Context, db *sql.DB) error {
	ix.dirtyMu.Lock()
	ids := ix.dirty
	ix.dirty = nil
	ix.dirtyMu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 5000)]
		ids = ids[len(chunk):]
		if err := ix.read(ctx, db, chunk); err != nil {
			err = fmt.Errorf("update the search index: %w", err)
			ix.dirtyMu.Lock()
			ix.dirty = append(ix.dirty, chunk...)
			ix.dirty = append(ix.dirty, ids...)
			ix.dirtyMu.Unlock()
			ix.setStale(err)
			return err
		}
	}
	ix.setStale(nil)
	return nil
}

func (ix *searchIndex) setStale(err error) {
	ix.staleMu.Lock()
	ix.stale = err
	ix.staleMu.Unlock()
}

// read puts the threads rows with the rowids asked (nil: every row) into
// the index; a rowid asked that has no row is a thread gone.
func (ix *searchIndex) read(ctx context.Context, db *sql.DB, asked []int64) error {
	query := `SELECT rowid, id, campaign_id, action_type, contact_name, contact_phone, last_message_at, archived, unread, needs_attention
		FROM threads`
	var args []any
	if asked != nil {
		list, err := idList(asked)
		if err != nil {
			return err
		}
		query += ` WHERE rowid IN ` + inIDs
		args = append(args, list)
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var changes []indexChange
	seen := map[int64]bool{}
	for rows.Next() {
		var c indexChange
		var campaign, actionType, name, phone string
		var archived, unread, attention bool
		if err := rows.Scan(&c.rowid, &c.row.id, &campaign, &actionType, &name, &phone, &c.row.at, &archived, &unread, &attention); err != nil {
			return err
		}
		if c.rowid <= 0 || c.rowid > math.MaxInt32 {
			return fmt.Errorf("thread %s has rowid %d, outside what the index holds", c.row.id, c.rowid)
		}
		c.row.name, c.row.digits, c.row.live = strings.ToLower(name), digits(phone), true
		for i, f := range inbox.Filters {
			if inbox.Listed(f, inbox.Flags{ActionType: actionType, Archived: archived, Unread: unread, NeedsAttention: attention}) {
				c.row.filters |= 1 << i
			}
		}
		c.row.campaign = ix.campaignCode(campaign)
		changes = append(changes, c)
		if asked != nil {
			seen[c.rowid] = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range asked {
		if !seen[id] {
			changes = append(changes, indexChange{rowid: id}) // deleted: not live
		}
	}
	ix.apply(changes)
	return nil
}

// indexChange is a thread row as it is now (row.live false: gone).
type indexChange struct {
	rowid int64
	row   indexRow
}

func (ix *searchIndex) apply(changes []indexChange) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Rows whose name or number changed leave their old trigrams' lists
	// first, all in one pass per list; then new and changed rows join
	// their new lists.
	var gone map[int32]bool
	var leave map[uint32]bool
	var join []int32
	var moved []move
	var buf []uint32
	for _, c := range changes {
		slot := int32(c.rowid)
		if int(slot) >= len(ix.rows) {
			if !c.row.live {
				continue
			}
			ix.rows = slices.Grow(ix.rows, int(slot)+1-len(ix.rows))[:int(slot)+1]
		}
		old := &ix.rows[slot]
		if old.live != c.row.live || old.at != c.row.at || old.id != c.row.id {
			moved = append(moved, move{slot, *old})
		}
		keyChanged := old.live != c.row.live || old.name != c.row.name || old.digits != c.row.digits
		if keyChanged {
			ix.setChars(slot, old, false)
			ix.setChars(slot, &c.row, true)
		}
		if keyChanged && old.live {
			if gone == nil {
				gone, leave = map[int32]bool{}, map[uint32]bool{}
			}
			gone[slot] = true
			buf = rowGrams(old, buf)
			for _, g := range buf {
				leave[g] = true
			}
		}
		*old = c.row
		if keyChanged && c.row.live {
			join = append(join, slot)
		}
	}
	for g := range leave {
		list := slices.DeleteFunc(ix.grams[g], func(s int32) bool { return gone[s] })
		if len(list) == 0 {
			delete(ix.grams, g)
		} else {
			ix.grams[g] = list
		}
	}
	for _, slot := range join {
		buf = rowGrams(&ix.rows[slot], buf)
		for _, g := range buf {
			ix.grams[g] = append(ix.grams[g], slot)
		}
	}
	ix.reorder(moved)
}

// move is a row whose place in order changes, with what it was before.
type move struct {
	slot int32
	old  indexRow
}

// reorder puts the moved rows (new, gone, or with a new time) in their
// place in order: a few are taken out and put back by binary search; many
// are merged in one pass over order (about 0.2 ms at 100,000 threads).
func (ix *searchIndex) reorder(moved []move) {
	if len(moved) == 0 {
		return
	}
	if len(moved) <= 16 {
		for _, m := range moved {
			if m.old.live {
				if i, ok := ix.place(&m.old); ok && ix.order[i] == m.slot {
					ix.order = slices.Delete(ix.order, i, i+1)
				}
			}
			if r := &ix.rows[m.slot]; r.live {
				i, _ := ix.place(r)
				ix.order = slices.Insert(ix.order, i, m.slot)
			}
		}
		return
	}
	isMoved := make(map[int32]bool, len(moved))
	var add []int32
	for _, m := range moved {
		isMoved[m.slot] = true
		if ix.rows[m.slot].live {
			add = append(add, m.slot)
		}
	}
	slices.SortFunc(add, func(a, b int32) int {
		if newer(&ix.rows[a], &ix.rows[b]) {
			return -1
		}
		return 1
	})
	out := ix.spare[:0]
	i := 0
	for _, slot := range ix.order {
		if isMoved[slot] {
			continue
		}
		for i < len(add) && newer(&ix.rows[add[i]], &ix.rows[slot]) {
			out = append(out, add[i])
			i++
		}
		out = append(out, slot)
	}
	out = append(out, add[i:]...)
	ix.order, ix.spare = out, ix.order
}

// place is where a row with r's time and id is, or would go, in order.
func (ix *searchIndex) place(r *indexRow) (int, bool) {
	return slices.BinarySearchFunc(ix.order, r, func(slot int32, r *indexRow) int {
		o := &ix.rows[slot]
		switch {
		case o.at == r.at && o.id == r.id:
			return 0
		case newer(o, r):
			return -1
		}
		return 1
	})
}

// setChars sets (or clears) slot's bit under every byte of r's name and
// digits.
func (ix *searchIndex) setChars(slot int32, r *indexRow, on bool) {
	if !r.live {
		return
	}
	for f, s := range []string{r.name, r.digits} {
		for i := 0; i < len(s); i++ {
			b := &ix.chars[f][s[i]]
			if on {
				b.set(slot)
			} else {
				b.clear(slot)
			}
		}
	}
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

// campaignCode numbers campaign ids (a handful per volunteer).
func (ix *searchIndex) campaignCode(id string) uint16 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if c, ok := ix.campaigns[id]; ok {
		return c
	}
	c := uint16(len(ix.campaigns))
	ix.campaigns[id] = c
	return c
}

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
	walk := candidates*candidates > (q.Offset+q.Limit)*len(ix.order)
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
			if seen++; seen == q.Offset+q.Limit {
				break
			}
		}
		return out, nil
	}
	// Few candidates: each is checked (whole, when the needle is longer
	// than its trigram or is two characters) and the newest page kept.
	top := newTopRows(q.Offset + q.Limit)
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
