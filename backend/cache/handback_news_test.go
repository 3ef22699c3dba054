package cache_test

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// A conversation handed back to someone who held it before opens with a
// handover change, then its history, the thread and the replies no one
// had read (server reassign). The app may hold the conversation still, not
// having synced while someone else held it.

func handover(version int64, id string) api.Change {
	return api.Change{Version: version, Kind: api.KindHandover, ID: id, Data: []byte(`{"threadId":"` + id + `"}`)}
}

// TestHandBackToAnAppThatHeldItIsAHandOver: the app held k1 (and the reply
// it had told of) from before it was handed away; back again, with a reply
// Bea read and one no one read, on one page or ending anywhere in the
// hand-back's rows. It saw no hand-over (the thread was known), told of the
// reply Bea read, and never of the hand-back; now it tells of the hand-back
// and of the unread reply only, and the thread keeps all its messages.
func TestHandBackToAnAppThatHeldItIsAHandOver(t *testing.T) {
	handed := t0.Add(time.Hour)
	back := handedThread(handed)
	back.Reassigned.FromUserID, back.Reassigned.FromUserName = "b1", "Bea"
	rows := []api.Change{
		handover(20, "k1"),
		change(t, 21, api.KindMessage, "m1", inbound("m1", "Who is this?", t0.Add(time.Minute))),
		change(t, 22, api.KindMessage, "m2", inbound("m2", "Is this the campaign?", t0.Add(2*time.Minute))),
		change(t, 23, api.KindThread, "k1", back),
		change(t, 24, api.KindMessage, "m3", inbound("m3", "Still there?", t0.Add(3*time.Minute))),
	}
	for cut := 0; cut <= len(rows); cut++ {
		c := open(t)
		seed(t, c)
		apply(t, c, change(t, 10, api.KindThread, "k1", handedThread(t0)), change(t, 11, api.KindMessage, "m1", inbound("m1", "Who is this?", t0.Add(time.Minute))))
		var got []string
		handedBack := 0
		for _, page := range [][]api.Change{rows[:cut], rows[cut:]} {
			if len(page) == 0 {
				continue
			}
			res := apply(t, c, page...)
			got = append(got, told(res)...)
			for _, r := range res.Reassigned {
				if r.FromName == "Bea" {
					handedBack++
				}
			}
		}
		if handedBack != 1 || len(got) != 1 || got[0] != "m3" {
			t.Errorf("pages cut after %d: told %v, %d hand-backs; want only m3 and the hand-back once", cut, got, handedBack)
		}
		d, err := c.Thread(t.Context(), "k1")
		if err != nil || len(d.Messages) != 3 || d.Thread.Reassigned == nil || d.Thread.Reassigned.FromUserName != "Bea" {
			t.Errorf("pages cut after %d: the thread %+v holds %d messages (%v); want it handed back by Bea, with all 3", cut, d.Thread.Reassigned, len(d.Messages), err)
		}
	}
}

// TestHandoverOfAThreadNotHeldChangesNothing: the app saw the thread leave
// (or never held it): the handover change is no news and drops nothing.
func TestHandoverOfAThreadNotHeldChangesNothing(t *testing.T) {
	c := open(t)
	seed(t, c)
	apply(t, c, change(t, 10, api.KindThread, "k2", serverThread("k2", api.ActionP2P)))
	res := apply(t, c, handover(11, "k1"))
	if res.Applied != 1 || res.Skipped != 0 || len(res.Reassigned) != 0 || len(res.NewInbound) != 0 {
		t.Errorf("a handover of a thread not held: %+v, want it applied, no news", res)
	}
	if _, err := c.Thread(t.Context(), "k2"); err != nil {
		t.Errorf("another thread after a handover: %v", err)
	}
}

// TestHandedOverThreadAfterADeletionIsNotNewsAgain: a page deleted one
// thread, then brought another the user holds, handed to them long ago (a
// reply to it, say). The deletion made the page forget which threads the
// cache held, and the second was told again as "reassigned to you".
func TestHandedOverThreadAfterADeletionIsNotNewsAgain(t *testing.T) {
	c := open(t)
	seed(t, c)
	apply(t, c, change(t, 10, api.KindThread, "k2", serverThread("k2", api.ActionP2P)))
	if res := apply(t, c, change(t, 11, api.KindThread, "k1", handedThread(t0))); len(res.Reassigned) != 1 {
		t.Fatalf("the hand-over told %+v, want it once", res.Reassigned)
	}
	res := apply(t, c,
		api.Change{Version: 12, Kind: api.KindThread, ID: "k2", Deleted: true},
		change(t, 13, api.KindThread, "k1", handedThread(t0)),
		change(t, 14, api.KindMessage, "m1", inbound("m1", "Hello?", t0.Add(time.Hour))),
	)
	if len(res.Reassigned) != 0 || len(told(res)) != 1 {
		t.Errorf("after a deletion on the page: handed over %+v, told %v; want no hand-over and the reply", res.Reassigned, told(res))
	}
}
