package simnet

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

// receipts is an inbox that also takes status updates.
type receipts struct {
	*inbox
	ch chan sms.StatusUpdate
}

func (r *receipts) UpdateStatus(_ context.Context, u sms.StatusUpdate) error {
	r.ch <- u
	return nil
}

// TestDeliveryReceipts: with Delivered set, each text sent is reported
// delivered, by its provider id, that long after; without it, never; and
// Close cancels the receipts still waiting.
func TestDeliveryReceipts(t *testing.T) {
	n := New(Config{Mix: Mix{Silent: 1}, Delivered: 20 * time.Millisecond}, zerolog.Nop())
	r := &receipts{inbox: newInbox(), ch: make(chan sms.StatusUpdate, 10)}
	n.Attach(r)
	sent := time.Now()
	id, err := n.Send(context.Background(), text(volunteer, contact, "Hi"))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case u := <-r.ch:
		if u.ProviderID != id || u.Status != sms.StatusDelivered {
			t.Fatalf("receipt %+v, want %s delivered", u, id)
		}
		if time.Since(sent) < 20*time.Millisecond {
			t.Fatalf("the receipt came %v after the send, before Delivered", time.Since(sent))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery receipt")
	}
	n.Close()

	late := New(Config{Mix: Mix{Silent: 1}, Delivered: time.Hour}, zerolog.Nop())
	late.Attach(r)
	if _, err := late.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	late.Close() // returns at once: the receipt is cancelled, not waited for

	none := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	none.Attach(r)
	if _, err := none.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	none.Close()
	select {
	case u := <-r.ch:
		t.Fatalf("a receipt with Delivered unset, or after Close: %+v", u)
	default:
	}
}
