package store

import (
	"fmt"
	"time"
)

// Keep is a hand-out's verdict on a pool contact its pick read: take it,
// or pass it over. One passed over with a non-zero until cannot be texted
// before then (outside the action's texting hours in their time zone) and
// waits out of the pick until then (UntilActionChanges: until the action's
// update brings it back); the others are read again by the next hand-out.
type Keep func(Contact) (take bool, until time.Time)

// UntilActionChanges is the time a contact that cannot be texted as its
// action stands waits until (a script that cannot be filled in for them,
// a number of no known time zone): after every time a hand-out compares
// with, so only the action's update (UpdateAction) brings it back.
var UntilActionChanges = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

// Wait is a pool contact a hand-out passed over until a time.
type Wait struct {
	ContactID string
	Until     time.Time
}

// PickPage is how many pool rows a hand-out's pick reads at a time.
const PickPage = 64

// PickWalk is a hand-out's walk of an action's pool, the same on each
// engine: page reads up to PickPage pool rows after a point in list order
// (each with the organization's last initial text to its number within the
// 6-hour lock that began at since, at less the lock). It reads at most
// maxScan rows and returns the contacts to assign, what it passed over,
// the contacts to set waiting, and how many rows it read.
func PickWalk(limit, maxScan int, at time.Time, since *time.Time, page func(afterAt, afterID string) ([]PoolContact, error),
	keep Keep) ([]Contact, PassedOver, []Wait, int, error) {
	var picked []Contact
	var passed PassedOver
	var waits []Wait
	scanned := 0
	afterAt, afterID := "", ""
	exhausted := false // the pool's last row was read
	for len(picked) < limit && scanned < maxScan && !exhausted {
		rows, err := page(afterAt, afterID)
		if err != nil {
			return nil, PassedOver{}, nil, 0, err
		}
		exhausted = len(rows) < PickPage
		for _, p := range rows {
			if len(picked) == limit || scanned == maxScan {
				exhausted = false // rows[i:] were read and not looked at
				break
			}
			scanned++
			if p.LastInitial != "" {
				passed.Recent++
				until, err := LockEnds(p.LastInitial, at, since)
				if err != nil {
					return nil, PassedOver{}, nil, 0, err
				}
				if !until.IsZero() {
					waits = append(waits, Wait{ContactID: p.ID, Until: until})
				}
				continue
			}
			if keep != nil {
				if take, until := keep(p.Contact); !take {
					passed.Refused++
					if !until.IsZero() {
						waits = append(waits, Wait{ContactID: p.ID, Until: until})
					}
					continue
				}
			}
			picked = append(picked, p.Contact)
		}
		if len(rows) > 0 {
			last := rows[len(rows)-1]
			afterAt, afterID = TimeText(last.CreatedAt), last.ID
		}
	}
	passed.Waiting = len(waits)
	passed.Bounded = len(picked) < limit && !exhausted
	return picked, passed, waits, scanned, nil
}

// LockEnds is when a 6-hour lock that began at since (at less the lock)
// ends for a number last sent a first text at last (TimeText, or "" for
// never): last plus the lock; zero when last is before since, as can be
// when since is nil.
func LockEnds(last string, at time.Time, since *time.Time) (time.Time, error) {
	if last == "" || since == nil {
		return time.Time{}, nil
	}
	t, err := ParseTimeText(last)
	if err != nil {
		return time.Time{}, fmt.Errorf("last first text to a number: %w", err)
	}
	if t.Before(*since) {
		return time.Time{}, nil
	}
	return t.Add(at.Sub(*since)), nil
}

// FirstWaiting makes the first waiting contact's id and time (TimeText),
// "" for none, into AssignContacts' answer.
func FirstWaiting(id, until string) (Wait, error) {
	if id == "" {
		return Wait{}, nil
	}
	t, err := ParseTimeText(until)
	if err != nil {
		return Wait{}, fmt.Errorf("time a contact waits until: %w", err)
	}
	return Wait{ContactID: id, Until: t}, nil
}
