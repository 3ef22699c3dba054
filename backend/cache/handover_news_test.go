package cache_test

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// A hand-over reaches the new owner's feed as the thread's history (what
// someone who held it had read), then the thread, then the contact's replies
// no one had read (server reassign); a reply received later comes later
// still. These cases are pages the server sends in that order.

// handedThread is k1 handed to the user by Vera at handed.
func handedThread(handed time.Time) api.Thread {
	th := serverThread("k1", api.ActionP2P)
	th.Reassigned = &api.Reassignment{FromUserID: "v1", FromUserName: "Vera", At: handed}
	return th
}

func inbound(id, body string, at time.Time) api.Message {
	return api.Message{ID: id, ThreadID: "k1", Direction: api.DirInbound, Body: body, Status: api.StatusReceived, CreatedAt: at}
}

func told(res cache.PageResult) []string {
	var ids []string
	for _, n := range res.NewInbound {
		ids = append(ids, n.MessageID)
	}
	return ids
}

// TestHandedOverHistoryIsNeverNews: a page may end inside a hand-over's
// rows (500 changes a page; an admin handed fifty conversations at once, an
// app catching up), here between the history and its thread. The reply the
// old owner had read came on a page without its thread and was announced,
// with no name ("New reply from"); it is history on any page.
func TestHandedOverHistoryIsNeverNews(t *testing.T) {
	c := open(t)
	seed(t, c)
	handed := t0.Add(time.Hour)
	first := api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirOutbound, Body: "Hi Ada", Status: "delivered", Initial: true, CreatedAt: t0}
	res := apply(t, c, change(t, 10, api.KindMessage, "m1", first), change(t, 11, api.KindMessage, "m2", inbound("m2", "Who is this?", t0.Add(time.Minute))))
	if len(res.NewInbound) != 0 {
		t.Errorf("history on the page before its thread announced as new: %+v", res.NewInbound)
	}
	res = apply(t, c, change(t, 12, api.KindThread, "k1", handedThread(handed)))
	if len(res.Reassigned) != 1 || len(res.NewInbound) != 0 {
		t.Errorf("the thread's page: handed over %+v, told %v; want the hand-over and no reply", res.Reassigned, told(res))
	}
	d, err := c.Thread(t.Context(), "k1")
	if err != nil || len(d.Messages) != 2 {
		t.Fatalf("the handed thread holds %+v (%v), want its two messages", d.Messages, err)
	}
}

// TestHandedOverUnreadReplyIsNewsOnce: the contact replied a minute before
// the hand-over and the old owner never opened it. Every reply on the
// hand-over's page was dropped as history, so nobody was ever told of it;
// it now rings once for the new owner, with the contact's name, while the
// reply the old owner read stays history.
func TestHandedOverUnreadReplyIsNewsOnce(t *testing.T) {
	c := open(t)
	seed(t, c)
	handed := t0.Add(time.Hour)
	res := apply(t, c,
		change(t, 10, api.KindMessage, "m1", inbound("m1", "Who is this?", t0.Add(time.Minute))),
		change(t, 11, api.KindThread, "k1", handedThread(handed)),
		change(t, 12, api.KindMessage, "m2", inbound("m2", "Still there?", handed.Add(-time.Minute))),
	)
	if got := told(res); len(got) != 1 || got[0] != "m2" {
		t.Fatalf("the hand-over's page told of %v, want only the reply no one had read (m2)", got)
	}
	if n := res.NewInbound[0]; n.ContactName != "Contact k1" || n.CampaignID != "c1" {
		t.Errorf("the unread reply is told of as %+v, want its contact and campaign", n)
	}
	// Brought again (another row of it later in the feed): told once.
	if res := apply(t, c, change(t, 13, api.KindMessage, "m2", inbound("m2", "Still there?", handed.Add(-time.Minute)))); len(res.NewInbound) != 0 {
		t.Errorf("the unread reply told of again: %v", told(res))
	}
}

// TestHandedOverUnreadReplyOnTheNextPage: the page ended between the thread
// and the replies no one had read: they ring on the next page.
func TestHandedOverUnreadReplyOnTheNextPage(t *testing.T) {
	c := open(t)
	seed(t, c)
	handed := t0.Add(time.Hour)
	res := apply(t, c,
		change(t, 10, api.KindMessage, "m1", inbound("m1", "Who is this?", t0.Add(time.Minute))),
		change(t, 11, api.KindThread, "k1", handedThread(handed)),
	)
	if len(res.NewInbound) != 0 {
		t.Fatalf("history told of: %v", told(res))
	}
	res = apply(t, c, change(t, 12, api.KindMessage, "m2", inbound("m2", "Still there?", handed.Add(-time.Minute))))
	if got := told(res); len(got) != 1 || got[0] != "m2" {
		t.Errorf("the page after the hand-over told of %v, want the unread reply m2", got)
	}
}

// TestReplyAfterHandOverFromASlowerClock: two servers share one database,
// the one receiving the contact's reply with a clock five minutes behind
// the one that handed the conversation over, so the reply, received after
// the hand-over, is dated before it. It was taken for history (its time
// against the hand-over's) and never announced, on the hand-over's page
// or a later one.
func TestReplyAfterHandOverFromASlowerClock(t *testing.T) {
	handed := t0.Add(time.Hour)
	early := handed.Add(-5 * time.Minute)
	t.Run("same page", func(t *testing.T) {
		c := open(t)
		seed(t, c)
		res := apply(t, c,
			change(t, 10, api.KindThread, "k1", handedThread(handed)),
			change(t, 11, api.KindMessage, "m1", inbound("m1", "Hello?", early)),
		)
		if got := told(res); len(got) != 1 || got[0] != "m1" {
			t.Errorf("told of %v, want the reply after the hand-over (m1)", got)
		}
	})
	t.Run("later page", func(t *testing.T) {
		c := open(t)
		seed(t, c)
		apply(t, c, change(t, 10, api.KindThread, "k1", handedThread(handed)))
		res := apply(t, c, change(t, 11, api.KindThread, "k1", handedThread(handed)), change(t, 12, api.KindMessage, "m1", inbound("m1", "Hello?", early)))
		if got := told(res); len(got) != 1 || got[0] != "m1" {
			t.Errorf("told of %v, want the reply after the hand-over (m1)", got)
		}
	})
}

// TestReplyToAThreadTheSamePageTakesAway: a reply, then the thread handed
// on (deleted for this user) on the same page: no conversation is left to
// open, so nothing is announced (it was, with no name).
func TestReplyToAThreadTheSamePageTakesAway(t *testing.T) {
	c := open(t)
	seed(t, c)
	apply(t, c, change(t, 10, api.KindThread, "k1", serverThread("k1", api.ActionP2P)))
	res := apply(t, c,
		change(t, 11, api.KindMessage, "m1", inbound("m1", "Hello?", t0.Add(time.Minute))),
		api.Change{Version: 12, Kind: api.KindThread, ID: "k1", Deleted: true},
	)
	if len(res.NewInbound) != 0 {
		t.Errorf("a reply of a thread the page took away told of: %+v", res.NewInbound)
	}
}

// TestHandOverHiddenByAPendingReassignIsNotToldAgain: an admin handed a
// conversation hands it on while offline (the thread leaves the inbox at
// once, the reassign waits in the outbox); the contact replies before the
// server has it. The pull brings the thread again, still marked as handed
// to the admin, and it was told again as "Conversation with ... reassigned
// to you", of a conversation the admin is giving away. The hand-over was
// news once; the thread stays hidden.
func TestHandOverHiddenByAPendingReassignIsNotToldAgain(t *testing.T) {
	c := open(t)
	seed(t, c)
	handed := t0.Add(time.Hour)
	if res := apply(t, c, change(t, 10, api.KindThread, "k1", handedThread(handed))); len(res.Reassigned) != 1 {
		t.Fatalf("the hand-over told %+v, want it once", res.Reassigned)
	}
	m := api.Mutation{ID: "m-reassign", Type: api.MutReassign, ThreadID: "k1", ToUserID: "a2"}
	if _, err := c.HideThreads(t.Context(), m, []string{"k1"}, handed.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	res := apply(t, c,
		change(t, 11, api.KindThread, "k1", handedThread(handed)),
		change(t, 12, api.KindMessage, "m1", inbound("m1", "Hello?", handed.Add(2*time.Minute))),
	)
	if len(res.Reassigned) != 0 || len(res.NewInbound) != 0 {
		t.Errorf("a thread a pending reassign hides told again: handed over %+v, replies %v", res.Reassigned, told(res))
	}
	if _, err := c.Thread(t.Context(), "k1"); err == nil {
		t.Error("the thread the pending reassign hides is back in the inbox")
	}
}
