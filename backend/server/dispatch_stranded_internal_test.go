package server

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// TestOwnTextsCountHolders: a text two holders took (a settling that
// queued it again, then the claim that took it) stays in hand until both
// let go, and a failed commit marks texts stranded once.
func TestOwnTextsCountHolders(t *testing.T) {
	var o ownTexts
	a, b := store.Outgoing{Message: store.Message{ID: "a"}}, store.Outgoing{Message: store.Message{ID: "b"}}
	o.take([]store.Outgoing{a})
	o.take([]store.Outgoing{a})
	o.drop([]store.Outgoing{a}, false)
	if got := o.notInHand([]store.Outgoing{a, b}); len(got) != 1 || got[0].ID != "b" {
		t.Fatalf("not in hand = %v, want [b]: a has a holder left", got)
	}
	if o.lookNow() {
		t.Fatal("stranded with no failure")
	}
	o.drop([]store.Outgoing{a}, true)
	if got := o.notInHand([]store.Outgoing{a, b}); len(got) != 1 || got[0].ID != "a" {
		t.Fatalf("not in hand = %v, want [a]: its last holder let go, b was just taken", got)
	}
	if !o.lookNow() || o.lookNow() {
		t.Fatal("a failed commit should mark texts stranded, once")
	}
	o.drop([]store.Outgoing{a, b}, false)
	if len(o.ids) != 0 {
		t.Fatalf("in hand after every holder let go: %v", o.ids)
	}
}
