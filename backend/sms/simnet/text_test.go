package simnet

import (
	"context"
	"errors"
	"strings"
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
	id, _, err := n.Text(context.Background(), "", contact, volunteer, "START")
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
		if _, _, err := n.Text(context.Background(), "", bad.from, bad.to, bad.body); !errors.Is(err, ErrMalformed) {
			t.Errorf("Text(%q, %q, %q): %v; want it refused as malformed", bad.from, bad.to, bad.body, err)
		}
	}
	if got := in.drain(); len(got) != 0 {
		t.Fatalf("malformed texts reached the receiver: %+v", got)
	}
	in.err = sms.ErrUnknownNumber
	if _, _, err := n.Text(context.Background(), "", contact, "+12025550199", "Hi"); !errors.Is(err, sms.ErrUnknownNumber) {
		t.Errorf("a text the receiver refuses: %v; want its error", err)
	}
	n.Close()
	if _, _, err := n.Text(context.Background(), "", contact, volunteer, "Hi"); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v; want ErrClosed", err)
	}
}

// TestTextUnderAChosenID: a text given a provider id comes under it, and
// the receiver's word that it already held one under that id is passed
// on; a malformed id is refused without reaching the receiver.
func TestTextUnderAChosenID(t *testing.T) {
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	defer n.Close()
	in := &onceInbox{inbox: newInbox(), seen: map[string]bool{}}
	n.Attach(in)
	const sid = "SM0123456789abcdef0123456789abcdef"
	for i, wantRepeat := range []bool{false, true} {
		id, repeat, err := n.Text(context.Background(), sid, contact, volunteer, "Hi")
		if err != nil || id != sid || repeat != wantRepeat {
			t.Fatalf("text %d under %s: %q, repeat %v, %v; want %s, repeat %v", i+1, sid, id, repeat, err, sid, wantRepeat)
		}
		if got := in.next(t); got.ProviderID != sid {
			t.Fatalf("delivered under %q, want %s", got.ProviderID, sid)
		}
	}
	for _, bad := range []string{"SM1", "sm0123456789abcdef0123456789abcdef", "SM0123456789ABCDEF0123456789ABCDEF",
		"MM0123456789abcdef0123456789abcdef", "SM0123456789abcdef0123456789abcdeg", sid + "0", " " + sid} {
		_, _, err := n.Text(context.Background(), bad, contact, volunteer, "Hi")
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "is not a message id: SM and 32 hexadecimal digits") {
			t.Errorf("Text under %q: %v; want it refused as no message id", bad, err)
		}
	}
	if got := in.drain(); len(got) != 0 {
		t.Fatalf("texts under malformed ids reached the receiver: %+v", got)
	}
}

// onceInbox is an inbox that says which provider ids it saw before, as the
// server does.
type onceInbox struct {
	*inbox
	seen map[string]bool
}

func (b *onceInbox) ReceiveOnce(ctx context.Context, m sms.Inbound) (bool, error) {
	repeat := b.seen[m.ProviderID]
	b.seen[m.ProviderID] = true
	return repeat, b.Receive(ctx, m)
}
