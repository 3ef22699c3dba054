package cache_test

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestHandedOverHistoryOnALaterPageIsNotNews: a hand-over writes the
// thread and its history to the new owner's feed together, but a sync page
// may end between them (500 changes a page; an admin handed fifty
// conversations at once, an app catching up). The replies of the history
// that came on the next page were announced as new ("New reply from"):
// only the page that brought the thread knew it came handed over. A reply
// received after the hand-over is news, whatever page brings it.
func TestHandedOverHistoryOnALaterPageIsNotNews(t *testing.T) {
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	handed := t0.Add(time.Hour)
	th.Reassigned = &api.Reassignment{FromUserID: "v1", FromUserName: "Vera", At: handed}
	first := api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirOutbound, Body: "Hi Ada", Status: "delivered", Initial: true, CreatedAt: t0}
	res := apply(t, c, change(t, 10, api.KindThread, "k1", th), change(t, 11, api.KindMessage, "m1", first))
	if len(res.Reassigned) != 1 {
		t.Fatalf("the thread came handed over: %+v", res.Reassigned)
	}
	// The page ended there; the contact's reply, from before the hand-over, comes next.
	reply := api.Message{ID: "m2", ThreadID: "k1", Direction: api.DirInbound, Body: "Who is this?", Status: "received", CreatedAt: t0.Add(time.Minute)}
	if res := apply(t, c, change(t, 12, api.KindMessage, "m2", reply)); len(res.NewInbound) != 0 {
		t.Errorf("history on the page after the hand-over announced as new: %+v", res.NewInbound)
	}
	// A reply after the hand-over is news.
	later := api.Message{ID: "m3", ThreadID: "k1", Direction: api.DirInbound, Body: "Hello?", Status: "received", CreatedAt: handed.Add(time.Minute)}
	if res := apply(t, c, change(t, 13, api.KindMessage, "m3", later)); len(res.NewInbound) != 1 || res.NewInbound[0].MessageID != "m3" {
		t.Errorf("a reply after the hand-over: told %+v, want it announced", res.NewInbound)
	}
}
