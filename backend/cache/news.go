package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// What a page brought that the volunteer is told of (ApplyPage's
// PageResult): a desktop notification each, through backend/notify.

// NewInbound is an inbound message this page brought that the cache had
// never seen: what a desktop notification is about.
type NewInbound struct {
	ThreadID string
	// CampaignID is the thread's campaign: the reply may come from a
	// campaign other than the one on screen.
	CampaignID  string
	MessageID   string
	ContactName string
	// ContactPhone names a contact who has no name ("New reply from +1...").
	ContactPhone string
	Body         string
	// At is when this reply came (the message's own time): the thread's
	// newest reply may be a later one, from the same page.
	At time.Time
}

// NewReassigned is a thread this page brought because it was reassigned to
// the user: what an admin's desktop notification is about.
type NewReassigned struct {
	ThreadID     string
	CampaignID   string
	ContactName  string
	ContactPhone string
	FromName     string
	Note         string
	At           time.Time
}

// LeftCampaign is a campaign the page dropped from the cache: the user is
// no longer a member of it (an organizer removed them).
type LeftCampaign struct {
	ID   string
	Name string
}

// NewOptedBackIn is a thread of the user's whose contact, opted out until
// this page, an admin opted back in (api.Thread.OptedBackIn).
type NewOptedBackIn struct {
	ThreadID     string
	CampaignID   string
	ContactName  string
	ContactPhone string
	ByName       string
	At           time.Time
	Undone       bool // an admin undid a report's opt-out, no START (api.OptedBackIn.Undone)
}

// news are the page's inbound messages the volunteer is told of (res's
// NewInbound, given the contact's name, number and campaign): not those of
// threads a pending change hides (hidden), nor a hand-over's history, nor
// a blocked or opted-out contact's.
//
// History is told apart by its place in the feed, not by any clock (the
// hand-over's and the reply's times may come from two servers whose clocks
// disagree): a hand-over writes the thread's history, then the thread, then
// the replies no one who held it had read (server reassign), and a reply
// received later comes later still. So a reply the page brought before its
// thread came handed over is history, and so is one whose thread the cache
// does not hold once the page is in: the page ended inside a hand-over's
// history, before its thread (or the thread went again on this page, and
// there is no conversation to open).
//
// A hand-over of a thread a pending change hides is no news either (taken
// out of res.Reassigned): the thread came again (a reply, say) still
// marked handed to this user, who was told once and is now giving it away.
func (b *batch) news(ctx context.Context, res *PageResult, hidden map[string]bool) ([]NewInbound, error) {
	res.Reassigned = slices.DeleteFunc(res.Reassigned, func(r NewReassigned) bool { return hidden[r.ThreadID] })
	// A blocked contact's messages are kept, not announced (feature 9).
	news := res.NewInbound[:0]
	for _, n := range res.NewInbound {
		if hidden[n.ThreadID] {
			continue
		}
		if at, ok := b.handedAt[n.ThreadID]; ok && b.arrived[n.MessageID] < at {
			continue
		}
		shown, ok := b.shown[n.ThreadID]
		if !ok {
			var blocked, optedOut int
			err := b.tx.QueryRowContext(ctx, `SELECT contact_name, contact_phone, campaign_id, blocked, opted_out FROM threads WHERE id = ?`,
				n.ThreadID).Scan(&shown.name, &shown.phone, &shown.campaign, &blocked, &optedOut)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("read thread %s: %w", n.ThreadID, err)
			}
			shown.blocked, shown.optedOut = blocked == 1, optedOut == 1
		}
		// Nor an opted-out contact's (their STOP, their later words):
		// nothing for the volunteer to do, so no "New reply from" either.
		if shown.blocked || shown.optedOut {
			continue
		}
		n.ContactName, n.ContactPhone, n.CampaignID = shown.name, shown.phone, shown.campaign
		news = append(news, n)
	}
	return news, nil
}
