package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

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
	theirs := poolNumbers(t, f, elsewhere)[0]
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

// TestTextAgainWithHeldContactsAfterLastNumberRemoved: a volunteer who
// still holds unsent contacts when the campaign's last number is removed
// is refused Text Again (409 no_sending_number), as each Send of them is,
// rather than given the held contacts back to be refused again.
func TestTextAgainWithHeldContactsAfterLastNumberRemoved(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "Held", batch: 3, contacts: 6, numbers: 1})
	c, _ := f.member("holder", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 3 {
		t.Fatalf("batch %+v %v", b, err)
	}
	wantApplied(t, first(t, c, b.Assigned[0].ContactID))
	old := f.sent()[0].From
	if _, err := f.organizer(f.st).RemoveNumbers(ctx, cf.campaign.JoinCode, []string{old}); err != nil {
		t.Fatal(err)
	}
	wantRejected(t, first(t, c, b.Assigned[1].ContactID), api.RejectNoNumber)
	again, err := c.Batch(ctx, cf.action.ID)
	if err == nil {
		t.Fatalf("Text Again with no number in use answered 200 with %d held contacts, want 409 %s", len(again.Assigned), api.CodeNoNumber)
	}
	wantAPIError(t, err, http.StatusConflict, api.CodeNoNumber)
}

// TestRemoveNumberRacesSends: volunteers keep sending first texts while
// another process (a second store on the same database) removes a number:
// once the removal has returned, no new conversation is started from it,
// and every volunteer who sends afterwards sends from a number in use.
func TestRemoveNumberRacesSends(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "Race", batch: 10, contacts: 80, numbers: 2})
	numbers := poolNumbers(t, f, cf)
	type vol struct {
		c *api.Client
		b api.BatchResponse
	}
	var vols []vol
	for i := range 8 {
		c, _ := f.member(fmt.Sprintf("racer%d", i), cf)
		b, err := c.Batch(ctx, cf.action.ID)
		if err != nil {
			t.Fatal(err)
		}
		vols = append(vols, vol{c, b})
	}
	onX := func() int {
		n := 0
		f.view(func(tx store.Tx) error {
			for _, ct := range cf.contacts {
				th, err := tx.ThreadByID(ctx, ct.ID)
				if err == nil && th.SendingNumber == numbers[0] {
					n++
				}
			}
			return nil
		})
		return n
	}
	other := f.organizer(f.reopen()) // another process on the same database
	var wg sync.WaitGroup
	removed := make(chan struct{})
	for _, v := range vols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, a := range v.b.Assigned {
				if i == len(v.b.Assigned)/2 {
					<-removed
				}
				m := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: a.ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}
				if _, err := v.c.PushMutations(ctx, []api.Mutation{m}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	if _, err := other.RemoveNumbers(ctx, cf.campaign.JoinCode, []string{numbers[0]}); err != nil {
		t.Fatal(err)
	}
	before := onX()
	close(removed)
	wg.Wait()
	if after := onX(); after != before {
		t.Fatalf("%d conversations on the removed number when the removal returned, %d after", before, after)
	}
	t.Logf("%d conversations on %s before the removal", before, numbers[0])
}

// TestRemoveNumbersGivenTwice: the organizer's call names a number given
// twice (the command line folds them before; a caller of the package may
// not) and removes nothing.
func TestRemoveNumbersGivenTwice(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "Twice", batch: 1, contacts: 1, numbers: 2})
	n := poolNumbers(t, f, cf)[0]
	_, err := f.organizer(f.st).RemoveNumbers(ctx, cf.campaign.JoinCode, []string{n, n})
	if err == nil || !strings.Contains(err.Error(), n+" is given twice; nothing was removed") {
		t.Fatalf("removing %s twice: %v", n, err)
	}
	f.view(func(tx store.Tx) error {
		got, err := tx.SendingNumberByPhone(ctx, n)
		if err == nil && got.RemovedAt != nil {
			t.Errorf("%s was removed by a refused call", n)
		}
		return err
	})
}

// poolNumbers are the phone numbers of the campaign's pool, as the store
// lists them.
func poolNumbers(t *testing.T, f *fixture, cf campaignFix) []string {
	t.Helper()
	var numbers []string
	f.view(func(tx store.Tx) error {
		l, err := tx.ListSendingNumbers(context.Background(), cf.campaign.ID)
		for _, n := range l {
			numbers = append(numbers, n.Phone)
		}
		return err
	})
	if len(numbers) == 0 {
		t.Fatal("the campaign's pool has no numbers")
	}
	return numbers
}
