package cache

import (
	"maps"
	"slices"
)

// Keeping the search index's list order (every live thread, newest first)
// as rows are written.

// move is a row whose place in order changes, with what it was before.
type move struct {
	slot int32
	old  indexRow
}

// reorder puts the moved rows (new, gone, or with a new time) in their
// place in order. order is sorted by what the rows were before this apply
// (rows already holds the new values), so the moved rows are looked up by
// their old values. A few are taken out and put back one by one; many (a
// sync page brings a few hundred) are merged into one copy of order, each
// placed by binary search and the runs between them copied whole: a page
// costs one copy of order, not one comparison per thread (which was 7% of
// applying 100,000 threads).
func (ix *searchIndex) reorder(moved []move) {
	if len(moved) == 0 {
		return
	}
	was := map[int32]*indexRow{}
	var add []int32
	for i := range moved {
		m := &moved[i]
		if _, dup := was[m.slot]; dup {
			continue // its first move holds where it is in order
		}
		was[m.slot] = &m.old
		if ix.rows[m.slot].live {
			add = append(add, m.slot)
		}
	}
	key := func(slot int32) *indexRow {
		if r, ok := was[slot]; ok {
			return r
		}
		return &ix.rows[slot]
	}
	// at: the first index of order from lo on whose row r is newer than.
	at := func(lo int, r *indexRow) int {
		i, _ := slices.BinarySearchFunc(ix.order[lo:], r, func(slot int32, r *indexRow) int {
			if newer(r, key(slot)) {
				return 1
			}
			return -1
		})
		return lo + i
	}
	// where is the index of slot in order, or -1.
	where := func(slot int32) int {
		if old := was[slot]; old.live {
			if i := at(0, old) - 1; i >= 0 && ix.order[i] == slot {
				return i
			}
		}
		return -1
	}
	if len(moved) <= 16 {
		for _, slot := range slices.Collect(maps.Keys(was)) {
			if i := where(slot); i >= 0 {
				ix.order = slices.Delete(ix.order, i, i+1)
			}
			delete(was, slot)
			if r := &ix.rows[slot]; r.live {
				ix.order = slices.Insert(ix.order, at(0, r), slot)
			}
		}
		return
	}
	var drop []int
	for slot := range was {
		if i := where(slot); i >= 0 {
			drop = append(drop, i)
		}
	}
	slices.Sort(drop)
	slices.SortFunc(add, func(a, b int32) int {
		if newer(&ix.rows[a], &ix.rows[b]) {
			return -1
		}
		return 1
	})
	out := ix.spare[:0]
	from, d := 0, 0
	for _, slot := range add {
		i := at(from, &ix.rows[slot])
		out = ix.copyKept(out, from, i, drop, &d)
		out = append(out, slot)
		from = i
	}
	out = ix.copyKept(out, from, len(ix.order), drop, &d)
	ix.order, ix.spare = out, ix.order
}

// copyKept appends order[from:to] to out without the indexes in drop
// (sorted; *d is the first not yet passed).
func (ix *searchIndex) copyKept(out []int32, from, to int, drop []int, d *int) []int32 {
	for *d < len(drop) && drop[*d] < to {
		out = append(out, ix.order[from:drop[*d]]...)
		from = drop[*d] + 1
		*d++
	}
	return append(out, ix.order[from:to]...)
}
