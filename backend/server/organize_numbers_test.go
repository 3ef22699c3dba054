package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestOrganizerRemovesANumber: a number removed from the pool starts no
// conversation: its volunteer is given the other number, their app learns
// it from its sync, and their next first text goes from it; their
// conversation under way keeps the removed number (a follow-up goes from
// it, as the contact knows it). Bad input names what was wrong and
// changes nothing; with the last number removed, a first text is refused
// as having no number, and adding one back puts it in use again.
func TestOrganizerRemovesANumber(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "Numbers", batch: 3, contacts: 8, numbers: 2})
	c, u := f.member("mover", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 3 {
		t.Fatalf("batch %+v %v", b, err)
	}
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	sent := f.sent()
	if len(sent) != 1 {
		t.Fatalf("sent %+v", sent)
	}
	old := sent[0].From
	state := syncState{}
	cursor := syncAll(t, c, state, 0, 0)
	o := f.organizer(f.st)
	code := cf.campaign.JoinCode
	elsewhere := f.campaign(campaignOpts{name: "Elsewhere", contacts: 1, numbers: 1})
	var theirs string
	f.view(func(tx store.Tx) (err error) {
		list, err := tx.ListSendingNumbers(ctx, elsewhere.campaign.ID)
		theirs = list[0].Phone
		return err
	})
	for _, bad := range []struct {
		code   string
		phones []string
		want   string
	}{
		{"999999", []string{old}, "999999"},
		{code, []string{old, "+12025550000"}, "+12025550000 is not a sending number of any campaign; nothing was removed"},
		{code, []string{theirs}, theirs + ` is a sending number of campaign ` + elsewhere.campaign.JoinCode + ` "Elsewhere", not of ` + code + ` "Numbers"; nothing was removed`},
	} {
		if _, err := o.RemoveNumbers(ctx, bad.code, bad.phones); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Fatalf("remove %v from %s: %v, want an error naming %q", bad.phones, bad.code, err, bad.want)
		}
	}
	if n := actionNumber(t, c, state, &cursor, cf.action.ID); n != old {
		t.Fatalf("a refused removal changed the volunteer's number to %q", n)
	}

	got, err := o.RemoveNumbers(ctx, code, []string{old})
	if err != nil || len(got.Moved) != 1 || got.Moved[0].Email != u.Email || got.Moved[0].From != old || got.Moved[0].Number == "" ||
		got.Moved[0].Number == old || got.InUse != 1 {
		t.Fatalf("remove = %+v %v, want the volunteer moved to the other number, one left in use", got, err)
	}
	other := got.Moved[0].Number
	if n := actionNumber(t, c, state, &cursor, cf.action.ID); n != other {
		t.Fatalf("the volunteer's app has number %q after the removal, want %s", n, other)
	}
	if _, err := o.RemoveNumbers(ctx, code, []string{old}); err == nil || !strings.Contains(err.Error(), "was removed from "+code+` "Numbers" already`) {
		t.Fatalf("removing it again: %v", err)
	}
	wantApplied(t, first(t, c, b.Assigned[1].ContactID))
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: f.clock.Now(), ThreadID: b.Assigned[0].ContactID,
		MessageID: uuid.NewString(), Body: "Following up"}))
	for _, m := range f.sent()[1:] {
		want := other
		if m.Body == "Following up" {
			want = old
		}
		if m.From != want {
			t.Fatalf("%q went from %s, want %s", m.Body, m.From, want)
		}
	}

	// The last one: no first text until a number is added back.
	if got, err := o.RemoveNumbers(ctx, code, []string{other}); err != nil || got.InUse != 0 || got.Moved[0].Number != "" {
		t.Fatalf("removing the last number = %+v %v, want the volunteer left with none", got, err)
	}
	wantRejected(t, first(t, c, b.Assigned[2].ContactID), api.RejectNoNumber)
	// Nor a batch: nothing handed out could go.
	late, _ := f.member("late", cf)
	_, err = late.Batch(ctx, cf.action.ID)
	wantAPIError(t, err, http.StatusConflict, api.CodeNoNumber)
	f.update(func(tx store.Tx) error { return tx.MoveSendingNumber(ctx, old, cf.campaign.ID) })
	wantApplied(t, first(t, c, b.Assigned[2].ContactID))
	if last := f.sent(); last[len(last)-1].From != old {
		t.Fatalf("the first text after adding %s back went from %s", old, last[len(last)-1].From)
	}
}

// first pushes a first text to contactID, a new mutation each time.
func first(t *testing.T, c *api.Client, contactID string) api.MutationResult {
	t.Helper()
	res, _ := sendInitial(t, c, contactID)
	return res
}

// actionNumber is the volunteer's sending number in action id as their
// app has it after pulling what changed since cursor.
func actionNumber(t *testing.T, c *api.Client, state syncState, cursor *int64, id string) string {
	t.Helper()
	*cursor = syncAll(t, c, state, *cursor, 0)
	ch, ok := state[key(api.KindAction, id)]
	if !ok {
		t.Fatalf("action %s not synced", id)
	}
	var a api.Action
	if err := json.Unmarshal(ch.Data, &a); err != nil {
		t.Fatal(err)
	}
	return a.SendingNumber
}
