package cache

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/textbank/textbank/backend/fold"
	"github.com/textbank/textbank/backend/inbox"
)

// searchIndex holds in memory what a search needs of every thread: its name
// in lower case without accents, its number's digits, its place in the list order and the
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
	// given are rows whose values their writer handed over (a sync page's
	// new threads), each with len(dirty) just after its write: a row not
	// written again since is taken as given instead of read back.
	given map[int64]givenRow
}

type givenRow struct {
	row   indexRow
	after int
}

type indexRow struct {
	filters  uint8 // bit i: listed under inbox.Filters[i]
	live     bool
	campaign uint16
	at       int64 // last_message_at: the list sorts by (at, id) newest first
	id       string
	name     string // contact name in lower case, without accents (fold.Name)
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

// noteRow is a writer's side: rowid, just written, holds these values. The
// write's own hook has been noted by then (the hook runs inside the
// statement).
func (ix *searchIndex) noteRow(rowid int64, id, campaign, actionType, name, phone string, at int64, archived, unread, attention bool) {
	row := ix.makeRow(id, campaign, actionType, name, phone, at, archived, unread, attention)
	ix.dirtyMu.Lock()
	if ix.given == nil {
		ix.given = map[int64]givenRow{}
	}
	ix.given[rowid] = givenRow{row: row, after: len(ix.dirty)}
	ix.dirtyMu.Unlock()
}

// forgetGiven drops the values handed over: their transaction rolled back.
func (ix *searchIndex) forgetGiven() {
	ix.dirtyMu.Lock()
	ix.given = nil
	ix.dirtyMu.Unlock()
}

// makeRow is a thread's entry as the index keeps it.
func (ix *searchIndex) makeRow(id, campaign, actionType, name, phone string, at int64, archived, unread, attention bool) indexRow {
	row := indexRow{id: id, at: at, name: fold.Name(name), digits: digits(phone), live: true}
	for i, f := range inbox.Filters {
		if inbox.Listed(f, inbox.Flags{ActionType: actionType, Archived: archived, Unread: unread, NeedsAttention: attention}) {
			row.filters |= 1 << i
		}
	}
	row.campaign = ix.campaignCode(campaign)
	return row
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
	ids, given := ix.dirty, ix.given
	ix.dirty, ix.given = nil, nil
	ix.dirtyMu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	// Rows handed over and not written again after are taken as given.
	if len(given) > 0 {
		last := make(map[int64]int, len(ids))
		for i, id := range ids {
			last[id] = i
		}
		var changes []indexChange
		for id, g := range given {
			if i, ok := last[id]; ok && i < g.after {
				changes = append(changes, indexChange{rowid: id, row: g.row})
			} else {
				delete(given, id)
			}
		}
		if err := checkRowids(changes); err != nil {
			ix.dirtyMu.Lock()
			ix.dirty = append(ix.dirty, ids...)
			ix.dirtyMu.Unlock()
			ix.setStale(err)
			return err
		}
		ids = slices.DeleteFunc(ids, func(id int64) bool { _, ok := given[id]; return ok })
		ix.apply(changes)
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
		if err := checkRowids([]indexChange{c}); err != nil {
			return err
		}
		c.row = ix.makeRow(c.row.id, campaign, actionType, name, phone, c.row.at, archived, unread, attention)
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

// checkRowids: the index holds rowids as int32 slots.
func checkRowids(changes []indexChange) error {
	for _, c := range changes {
		if c.rowid <= 0 || c.rowid > math.MaxInt32 {
			return fmt.Errorf("thread %s has rowid %d, outside what the index holds", c.row.id, c.rowid)
		}
	}
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
