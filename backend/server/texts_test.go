package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

func TestScriptChanged(t *testing.T) {
	f := newFixture(t)
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
	a := b.Assigned[0]
	want := "Hi Contact0, it's vera. Will you vote?"
	res := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: a.ContactID, MessageID: uuid.NewString(),
		Body: "Hi Contact0, it's vera. Will you vote early?"})
	wantRejected(t, res, api.RejectScriptChanged)
	if res.Body != want {
		t.Fatalf("rejection carries %q, want the server's text %q", res.Body, want)
	}
	if n := len(f.sent()); n != 0 {
		t.Fatalf("%d texts sent on a refused send", n)
	}
	res = push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: a.ContactID, MessageID: uuid.NewString(), Body: want})
	wantApplied(t, res)
	if sent := f.sent(); len(sent) != 1 || sent[0].Body != want {
		t.Fatalf("sent %+v", sent)
	}
}

func TestTextAgainHoldsBackOutsideHours(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// 16:00 UTC: 12:00 in New York (212), 09:00 in Los Angeles (213).
	cf := f.campaign(campaignOpts{batch: 3, numbers: 1, hours: store.TextingHours{Start: "10:00", End: "21:00"},
		phones: []string{"+12135550101", "+12125550102", "+12135550103", "+12125550104", "+12125550105", "+12125550106"}})
	c, _ := f.member("vera", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Assigned) != 3 || b.HeldBack != 2 {
		t.Fatalf("assigned %d held back %d, want 3 and 2", len(b.Assigned), b.HeldBack)
	}
	for _, a := range b.Assigned {
		if a.Phone[:5] != "+1212" {
			t.Fatalf("handed out %s, asleep in Los Angeles", a.Phone)
		}
	}
	t.Run("only sleepers left", func(t *testing.T) {
		la := f.campaign(campaignOpts{name: "West", numbers: 1, hours: store.TextingHours{Start: "10:00", End: "21:00"},
			phones: []string{"+12135550201"}})
		w, _ := f.member("walt", la)
		_, err := w.Batch(ctx, la.action.ID)
		if !api.IsCode(err, api.CodeOutsideHours) {
			t.Fatalf("err = %v, want %s", err, api.CodeOutsideHours)
		}
	})
}

func TestInboundPictureAndUnknownNumber(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	wantApplied(t, func() api.MutationResult { r, _ := sendInitial(t, c, b.Assigned[0].ContactID); return r }())
	ours := f.sent()[0].From
	err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SMpic", From: b.Assigned[0].Phone, To: ours, Body: "",
		MediaURLs: []string{"https://api.twilio.com/media/1"}, ReceivedAt: f.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	// The dispatcher may report the first text's status after the picture
	// arrived, so find the inbound message rather than the last one.
	var last api.Message
	for _, m := range state.messages(t, b.Assigned[0].ContactID) {
		if m.Direction == api.DirInbound {
			last = m
		}
	}
	if last.Body != "[picture]" {
		t.Fatalf("picture shows as %q", last.Body)
	}
	f.view(func(tx store.Tx) error {
		urls, err := tx.MessageMedia(ctx, last.ID)
		if err != nil || len(urls) != 1 || urls[0] != "https://api.twilio.com/media/1" {
			t.Fatalf("media = %v, %v", urls, err)
		}
		return nil
	})
	err = f.srv.Receive(ctx, sms.Inbound{ProviderID: "SMstray", From: b.Assigned[0].Phone, To: "+12025559999", Body: "hi"})
	if !errors.Is(err, sms.ErrUnknownNumber) {
		t.Fatalf("text to a number not ours: %v", err)
	}
	f.view(func(tx store.Tx) error {
		if u, _ := tx.ListUnroutable(ctx, 10); len(u) != 0 {
			t.Fatalf("stored %+v", u)
		}
		return nil
	})
}
