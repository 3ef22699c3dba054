package server

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// errNotYourAction answers a request about an action the caller may not
// see: one that does not exist and one of a campaign they have not joined
// get the same answer, which names nothing, so that an action id (one
// guessed, one seen in a log or a screenshot) tells an outsider neither a
// private campaign's name nor whether it exists. 404, not 403: "there is
// nothing here for you" is true of both.
var errNotYourAction = &httpError{status: http.StatusNotFound, body: apiErr(api.CodeNotFound, "",
	"this action is not in any campaign you have joined; if you have the campaign's join code, join it first")}

// memberAction loads the action and checks the user belongs to its
// campaign (errNotYourAction otherwise; refuseRemoved's answer to one an
// organizer took off it).
func memberAction(ctx context.Context, tx store.Campaigns, userID, actionID string) (store.Action, store.Campaign, error) {
	a, c, member, err := tx.MemberAction(ctx, actionID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Action{}, store.Campaign{}, errNotYourAction
	}
	if err != nil {
		return store.Action{}, store.Campaign{}, err
	}
	if !member {
		if err := refuseRemoved(ctx, tx, c.ID, userID); err != nil {
			return store.Action{}, store.Campaign{}, err
		}
		return store.Action{}, store.Campaign{}, errNotYourAction
	}
	return a, c, nil
}

// needNumbers refuses a hand-out to a volunteer of a campaign with no
// sending numbers in use (none added, or all removed): every first text would be refused
// (no_sending_number) and its contact kept, so the volunteer would hold a
// batch nothing can go to. A volunteer without a number of a campaign that
// has some takes one with their first text (applySendInitial). The pool
// is read only when the volunteer has no number: once a hand-out.
func needNumbers(ctx context.Context, tx store.Tx, c store.Campaign, u store.User) error {
	if _, err := tx.SendingNumber(ctx, c.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	nums, err := tx.ListSendingNumbers(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, n := range nums {
		if n.RemovedAt == nil {
			return nil
		}
	}
	return &httpError{status: http.StatusConflict, body: apiErr(api.CodeNoNumber, "",
		"%q has no sending numbers in use, so no texts can go out; ask the organizer to add some", c.Name)}
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	actionID := r.PathValue("id")
	var out api.BatchResponse
	var handed []store.Contact
	newlyHanded := 0 // out of the pool by this hand-out (not held before)
	// A hand-out that found no one to hand out is refused after its
	// commit: the contacts it set waiting stay so (refused is the answer).
	var refused *httpError
	var passed store.PassedOver
	var waiting *waitingPool // every contact left waits: answered after the commit
	hand := func(tx store.Tx) error {
		out, handed, newlyHanded, refused, passed, waiting = api.BatchResponse{}, nil, 0, nil, store.PassedOver{}, nil
		a, c, err := memberAction(ctx, tx, u.ID, actionID)
		if err != nil {
			return err
		}
		if !c.Active {
			return &httpError{status: http.StatusConflict, body: apiErr(api.CodeCampaignArchived, "",
				"%q has been archived by its organizers: no more contacts are handed out; your conversations stay in your inbox", c.Name)}
		}
		// Held contacts too: with every number removed while they were
		// held, each Send of theirs is refused, and handing them back
		// would have the volunteer go round between the two.
		if err := needNumbers(ctx, tx, c, u); err != nil {
			return err
		}
		// Contacts still waiting for this volunteer come first: no hoarding.
		held, err := tx.AssignedUnsent(ctx, a.ID, u.ID)
		if err != nil {
			return err
		}
		if len(held) == 0 {
			now := s.clock()
			// Only contacts who may be texted now (handOutJudge): the send
			// would refuse the others, and they would sit in the volunteer's
			// queue. Contacts outside the hours wait out of the pick until
			// their morning, and those who can never be texted as the
			// action stands (a script that cannot be filled in for them, a
			// number of no known time zone) until it changes: the next
			// hand-outs read past both.
			unfillable, noZone := 0, 0
			// The soonest a contact held for the hours can be texted: the
			// refusal says when, not only "until their morning".
			var opens time.Time
			judge := handOutJudge(now, a, u)
			keep := func(ct store.Contact) (bool, time.Time) {
				why, until := judge(ct)
				switch why {
				case passUnfillable:
					unfillable++
				case passNoZone:
					noZone++
				case passOutside:
					if opens.IsZero() || until.Before(opens) {
						opens = until
					}
				}
				return why == passNone, until
			}
			// Nor numbers the organization sent a first text within the
			// 6-hour lock (another action's list holding the same people):
			// the send would refuse them, and hand them back to be handed
			// out again.
			since := now.Add(-texting.InitialLock)
			held, passed, err = tx.AssignContacts(ctx, a.ID, c.OrganizationID, u.ID, a.BatchSize,
				pickScanLimit(a.BatchSize), now, &since, keep)
			if err != nil {
				return err
			}
			out.HeldBack, out.RecentlyTexted = passed.Refused-unfillable-noZone, passed.Recent
			if len(held) == 0 && out.HeldBack > 0 {
				refused = &httpError{status: http.StatusConflict, body: apiErr(api.CodeOutsideHours, "",
					"it is outside texting hours (%s) for the contacts left in %q; %d are held back until their morning%s",
					texting.HoursWords(texting.Hours(a.TextingHours)), a.Title, out.HeldBack, firstIn(opens, now))}
				return nil
			}
			if len(held) == 0 && unfillable > 0 {
				refused = &httpError{status: http.StatusConflict, body: apiErr(api.CodeUnfillable, "",
					"no contacts left to text in %q: the script cannot be filled in for the %d left looked at; ask the organizer to fix the list or the script",
					a.Title, unfillable)}
				return nil
			}
			if len(held) == 0 && passed.Recent > 0 {
				refused = &httpError{status: http.StatusConflict, body: apiErr(api.CodeRecentlyTexted, "",
					"the %d contacts left looked at in %q were sent a first text by your organization in the last %d hours (from another action or campaign); they stay for later",
					passed.Recent, a.Title, int(texting.InitialLock/time.Hour))}
				return nil
			}
			if len(held) == 0 && noZone > 0 {
				refused = &httpError{status: http.StatusConflict, body: apiErr(api.CodeUnfillable, "",
					"no contacts left to text in %q: the %d left looked at have numbers with no known time zone, or in time zones the texting hours (%s) never cover at once, so those hours can never be kept for them; ask the organizer",
					a.Title, noZone, texting.HoursWords(texting.Hours(a.TextingHours)))}
				return nil
			}
			if len(held) == 0 && passed.First.ContactID != "" {
				waiting = &waitingPool{action: a, orgID: c.OrganizationID, first: passed.First, since: since, now: now, judge: judge}
				return nil
			}
			if len(held) == 0 {
				refused = &httpError{status: http.StatusConflict, body: apiErr(api.CodePoolEmpty, "",
					"no contacts left to text in %q", a.Title)}
				return nil
			}
			// One statement for the batch's feed rows: the writer is shared.
			rows := make([]store.FeedRow, len(held))
			for i, ct := range held {
				rows[i] = store.FeedRow{UserID: u.ID, Kind: api.KindAssignment, EntityID: ct.ID}
			}
			if err := tx.AppendFeeds(ctx, now, rows...); err != nil {
				return err
			}
			newlyHanded = len(held)
		}
		out.Assigned = make([]api.Assignment, 0, len(held))
		seen := seenFields(a)
		for _, ct := range held {
			out.Assigned = append(out.Assigned, apiAssignment(ct, seen))
		}
		handed = held
		return nil
	}
	err := s.update(ctx, hand)
	// Read past the contacts it set waiting, a writer transaction at a
	// time, while none is found and pool rows lie unread past the bound:
	// a list whose first thousands all wait (another time zone's night, a
	// list the organization texted this morning) hands out the contacts
	// after them instead of telling the volunteer to come back later.
	for try := 1; err == nil && refused != nil && passed.Bounded && passed.Waiting > 0 && try < pickTries; try++ {
		err = s.update(ctx, hand)
	}
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	if waiting != nil {
		return s.waitingRefusal(ctx, *waiting)
	}
	// Their first texts are then checked without reading them again.
	s.known.handedOut(u.ID, handed)
	// The pool's size is for display: counted on a read snapshot after the
	// commit, not by the writer every volunteer's writes queue on (a count
	// scans the action's contacts).
	// Detached: other hand-outs may share this count, so this request's
	// end must not cancel it.
	countCtx := context.WithoutCancel(ctx)
	s.pools.handed(actionID, newlyHanded)
	out.Remaining, err = s.pools.count(actionID, s.clock(), func() (n int, err error) {
		err = s.store.View(countCtx, func(tx store.Tx) (err error) {
			n, err = tx.CountAssignable(countCtx, actionID)
			return err
		})
		return n, err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// pickTries is how many hand-outs one Text Again runs at most while each
// sets contacts waiting and finds no one (pickScanLimit rows each).
const pickTries = 5

// pickScanLimit bounds how many pool rows one Text Again reads while
// passing over contacts outside texting hours, so a pool asleep in another
// time zone costs a bounded scan, not the whole pool.
func pickScanLimit(batch int) int {
	return 20*batch + 200
}

// poolCounts answers the size of an action's pool for batch hand-outs,
// a figure for display ("N contacts still waiting"). Counting is a scan of
// the pool's index (about 2 ms at 80,000 contacts), so:
//   - a count is reused for poolCountFresh, less the contacts this server
//     has handed out of the action since the count began; what changes the
//     pool otherwise (an import, another server's hand-outs) shows within
//     that time, and a release here drops the count (forget), also one
//     still under way;
//   - one count runs at a time per action, and the hand-outs that ask
//     meanwhile all join the next one, which begins only once they have
//     committed: when 200 volunteers start together, a handful of counts
//     run instead of 200 at once.
type poolCounts struct {
	mu      sync.Mutex
	running map[string]*poolCount // per action, the count under way
	next    map[string]*poolCount // and the one waiting for it to end
	pools   map[string]*poolState
}

// poolCountFresh is how long a pool count is reused.
const poolCountFresh = time.Second

type poolCount struct {
	done chan struct{}
	n    int
	err  error
}

// poolState is what this server knows of one action's pool. handed and
// released only grow, so a count can tell what happened while it ran.
type poolState struct {
	handed   int // contacts handed out here
	released int // releases here
	snap     *poolSnap
}

type poolSnap struct {
	n      int       // counted
	at     time.Time // when the count was asked for (at or before it began)
	handed int       // poolState.handed when it began
}

func (p *poolCounts) state(actionID string) *poolState {
	if p.pools == nil {
		p.next, p.running, p.pools = map[string]*poolCount{}, map[string]*poolCount{}, map[string]*poolState{}
	}
	st := p.pools[actionID]
	if st == nil {
		st = &poolState{}
		p.pools[actionID] = st
	}
	return st
}

// handed notes n contacts of the action handed out by this server, after
// their commit.
func (p *poolCounts) handed(actionID string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state(actionID).handed += n
}

// forget drops the action's count, and keeps a count under way from being
// kept: the next hand-out counts again.
func (p *poolCounts) forget(actionID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state(actionID)
	st.released++
	st.snap = nil
}

func (p *poolCounts) count(actionID string, now time.Time, count func() (int, error)) (int, error) {
	p.mu.Lock()
	st := p.state(actionID)
	if s := st.snap; s != nil && now.Sub(s.at) >= 0 && now.Sub(s.at) < poolCountFresh {
		n := max(0, s.n-(st.handed-s.handed))
		p.mu.Unlock()
		return n, nil
	}
	if c := p.next[actionID]; c != nil {
		p.mu.Unlock()
		<-c.done
		return c.n, c.err
	}
	c := &poolCount{done: make(chan struct{})}
	prev := p.running[actionID]
	p.next[actionID] = c
	p.mu.Unlock()
	if prev != nil {
		<-prev.done
	}
	p.mu.Lock()
	delete(p.next, actionID) // begun: later hand-outs wait for the next one
	p.running[actionID] = c
	handed, released := st.handed, st.released
	p.mu.Unlock()
	c.n, c.err = count()
	p.mu.Lock()
	if p.running[actionID] == c {
		delete(p.running, actionID)
	}
	if c.err == nil && st.released == released {
		st.snap = &poolSnap{n: c.n, at: now, handed: handed}
	}
	p.mu.Unlock()
	close(c.done)
	return c.n, c.err
}
