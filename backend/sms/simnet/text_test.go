package simnet

import (
	"context"
	"errors"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

// TestTextDeliversAChosenText: a text chosen for a contact is handed to
// the receiver at once, from the contact to the number, under a provider
// id of its own; a malformed one is refused without reaching it, the
// receiver's refusal is returned, and a closed network takes none.
func TestTextDeliversAChosenText(t *testing.T) {
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	in := newInbox()
	n.Attach(in)
	id, err := n.Text(context.Background(), contact, volunteer, "START")
	if err != nil || !providerID.MatchString(id) {
		t.Fatalf("Text: %q, %v; want a provider id", id, err)
	}
	if got := in.next(t); got.ProviderID != id || got.From != contact || got.To != volunteer || got.Body != "START" || got.ReceivedAt.IsZero() {
		t.Fatalf("delivered %+v; want START from %s to %s as %s", got, contact, volunteer, id)
	}
	for _, bad := range []struct{ from, to, body string }{
		{"3125550101", volunteer, "Hi"},
		{contact, "+0202", "Hi"},
		{contact, volunteer, " \n"},
	} {
		if _, err := n.Text(context.Background(), bad.from, bad.to, bad.body); !errors.Is(err, ErrMalformed) {
			t.Errorf("Text(%q, %q, %q): %v; want it refused as malformed", bad.from, bad.to, bad.body, err)
		}
	}
	if got := in.drain(); len(got) != 0 {
		t.Fatalf("malformed texts reached the receiver: %+v", got)
	}
	in.err = sms.ErrUnknownNumber
	if _, err := n.Text(context.Background(), contact, "+12025550199", "Hi"); !errors.Is(err, sms.ErrUnknownNumber) {
		t.Errorf("a text the receiver refuses: %v; want its error", err)
	}
	n.Close()
	if _, err := n.Text(context.Background(), contact, volunteer, "Hi"); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v; want ErrClosed", err)
	}
}
