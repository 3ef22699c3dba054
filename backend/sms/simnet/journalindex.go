package simnet

import (
	"sort"
	"time"
)

// journalIndex lets Lookup read a long journal from about the time it
// asks from, not from its first line: a server restarted after a crash
// looks up each text it left sending (since a minute before the text was
// made), and on a busy network those times are older than the texts held
// in memory, so each lookup read every text ever sent (hundreds of MB
// after a long soak) while the recovery waited. A mark every keep lines
// (the memory's size) costs some 40 B per keep texts.
type journalIndex struct {
	lines  int       // lines noted
	latest time.Time // the latest send time of those lines
	marks  []journalMark
}

// journalMark is where a line of the journal begins, and the latest send
// time of the lines before it: the clock may step back, so not the time
// of the line before.
type journalMark struct {
	off    int64
	before time.Time
}

// note counts the journal line at offset off, of a text sent at at,
// marking it if it is the first of every lines.
func (x *journalIndex) note(off int64, at time.Time, every int) {
	if x.lines%every == 0 {
		x.marks = append(x.marks, journalMark{off: off, before: x.latest})
	}
	x.lines++
	if at.After(x.latest) {
		x.latest = at
	}
}

// from is the offset to read the journal from for the texts sent at or
// after since: every line before it was sent before since.
func (x *journalIndex) from(since time.Time) int64 {
	// The marks' times only grow: the first mark not wholly before since.
	i := sort.Search(len(x.marks), func(i int) bool { return !x.marks[i].before.Before(since) })
	if i == 0 {
		return 0
	}
	return x.marks[i-1].off
}
