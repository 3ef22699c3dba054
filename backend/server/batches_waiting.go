package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// waitingPool is a hand-out that read no pool row: every contact left
// waits for a time, first the one named.
type waitingPool struct {
	action     store.Action
	orgID      string
	first      store.Wait
	since, now time.Time
	judge      func(store.Contact) (passReason, time.Time)
}

// waitingRefusal answers a Text Again whose pool holds only contacts
// waiting for a time: how many are left, why the first back waits (the
// 6-hour lock or its texting hours), and when it can be texted. Read after
// the hand-out's commit, on a read snapshot, not in the writer (the count
// is the pool's, as a batch's remaining is).
func (s *Server) waitingRefusal(ctx context.Context, w waitingPool) error {
	countCtx := context.WithoutCancel(ctx)
	left, err := s.pools.count(w.action.ID, s.clock(), func() (n int, err error) {
		err = s.store.View(countCtx, func(tx store.Tx) (err error) {
			n, err = tx.CountAssignable(countCtx, w.action.ID)
			return err
		})
		return n, err
	})
	if err != nil {
		return err
	}
	var recent bool
	var first store.Contact
	if err := s.store.View(ctx, func(tx store.Tx) (err error) {
		if first, err = tx.ContactByID(ctx, w.first.ContactID); err != nil {
			return err
		}
		recent, err = tx.InitialSentSince(ctx, w.orgID, first.Phone, w.since)
		return err
	}); err != nil {
		return err
	}
	a, in := w.action, texting.WaitWords(w.first.Until.Sub(w.now))
	if !w.first.Until.Before(store.UntilActionChanges) {
		// The first back waits for the action to change: so do all.
		return parkedRefusal(a, left, first, w.judge)
	}
	if recent {
		return &httpError{status: http.StatusConflict, body: apiErr(api.CodeRecentlyTexted, "",
			"the %d contacts left in %q cannot be texted yet (a first text from your organization in the last %d hours, from another action or campaign, or their texting hours); the first can be texted in %s",
			left, a.Title, int(texting.InitialLock/time.Hour), in)}
	}
	return &httpError{status: http.StatusConflict, body: apiErr(api.CodeOutsideHours, "",
		"it is outside texting hours (%s) for the %d contacts left in %q; the first can be texted in %s",
		texting.HoursWords(texting.Hours(a.TextingHours)), left, a.Title, in)}
}

// parkedRefusal answers a Text Again whose pool holds only contacts that
// cannot be texted until the action changes, in the words of why the first
// of them cannot (judged again: one mended since answers as a list to
// mend).
func parkedRefusal(a store.Action, left int, first store.Contact, judge func(store.Contact) (passReason, time.Time)) error {
	why := "the script cannot be filled in for them; ask the organizer to fix the list or the script"
	if r, _ := judge(first); r == passNoZone {
		why = fmt.Sprintf("their number has no known time zone, or time zones the texting hours (%s) never cover at once; ask the organizer",
			texting.HoursWords(texting.Hours(a.TextingHours)))
	}
	return &httpError{status: http.StatusConflict, body: apiErr(api.CodeUnfillable, "",
		"no contacts left to text in %q: the %d left cannot be texted as the action stands; for the first of them, %s",
		a.Title, left, why)}
}

// passReason is why a hand-out passes a pool contact over.
type passReason int

const (
	passNone       passReason = iota // handed out
	passOutside                      // outside texting hours: waits for their morning
	passUnfillable                   // the script cannot be filled in for them
	passNoZone                       // no known time zone, or zones the hours never cover at once
)

// handOutJudge judges pool contacts for a hand-out by u at now: whether
// each may be texted now, and if not why and until when it waits out of
// the pick. Contacts the script cannot be filled in for (a field empty, no
// fallback) and numbers whose local time is not known (imported before
// the import refused them, or before the hours were narrowed) or whose
// zones the hours never cover at once wait for no morning: they wait until
// the action changes (store.UntilActionChanges; an organizer's update of
// its scripts or hours brings them back). The script depends on the
// contact alone here: the volunteer's fields are their name, which is
// never empty.
func handOutJudge(now time.Time, a store.Action, u store.User) func(store.Contact) (passReason, time.Time) {
	hours := texting.Hours(a.TextingHours)
	scripts, volunteer := texting.CompileInitials(a.Scripts), textingVolunteer(u)
	return func(ct store.Contact) (passReason, time.Time) {
		if _, err := scripts.Render(ct.ScriptIndex, textingContact(ct), volunteer); err != nil {
			return passUnfillable, store.UntilActionChanges
		}
		err := texting.CheckHours(now, ct.Phone, hours)
		var outside *texting.OutsideHoursError
		switch {
		case err == nil:
			return passNone, time.Time{}
		case !errors.As(err, &outside):
			return passNoZone, store.UntilActionChanges
		}
		opens, err := texting.NextOpen(now, ct.Phone, hours)
		if err != nil {
			// Zones the window never covers at once (a narrow window,
			// zones an hour apart): no morning comes.
			return passNoZone, store.UntilActionChanges
		}
		return passOutside, opens
	}
}

// firstIn says when the first contact held for the hours can be texted
// ("; the first can be texted in 11 hours", as waitingRefusal says it),
// "" when none was.
func firstIn(opens, now time.Time) string {
	if opens.IsZero() {
		return ""
	}
	return "; the first can be texted in " + texting.WaitWords(opens.Sub(now))
}
