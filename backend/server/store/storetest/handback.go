package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// testHandBackFeed: SupersedeHeldFeed answers, of the threads named, those
// the user held before (handed them on once), and drops the user's rows of
// them: the thread's, its hand-overs', its messages' and reports'; a first
// text's row becomes its contact's assignment row, in its place. Rows of
// other threads, and other users' rows, stay as they were.
func testHandBackFeed(t *testing.T, st store.Store) {
	w := newWorld(t, st, "hbf", 3)
	vol, adm := w.Volunteer.ID, w.Admin.ID
	c0, c1, c2 := w.Contacts[0].ID, w.Contacts[1].ID, w.Contacts[2].ID
	th0 := w.thread(t, st, 0, vol)
	w.thread(t, st, 1, vol)
	w.thread(t, st, 2, adm)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, m := range []store.Message{
			{ID: "hbf-m0", ThreadID: c0, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: vol, CreatedAt: at(time.Minute)},
			{ID: "hbf-in0", ThreadID: c0, Direction: dirIn, Body: "Yo", Status: statusRecv, ProviderID: "SMhbf", CreatedAt: at(2 * time.Minute)},
			{ID: "hbf-m1", ThreadID: c1, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: vol, CreatedAt: at(time.Minute)},
		} {
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		if err := tx.CreateReport(ctx, store.Report{ID: "hbf-r0", ThreadID: c0, UserID: vol, Values: map[string]string{"vote": "yes"}, SubmittedAt: at(3 * time.Minute)}); err != nil {
			return err
		}
		th0.OwnerID = adm
		if err := tx.UpdateThread(ctx, th0); err != nil {
			return err
		}
		return tx.AddReassignment(ctx, store.Reassignment{ID: "hbf-r", ThreadID: c0, FromUserID: vol, ToUserID: adm, CreatedAt: at(time.Hour)})
	})
	type row struct{ user, kind, id string }
	rows := []row{
		{vol, api.KindAssignment, c0}, // stays
		{vol, store.FeedFirstText, "hbf-m0"},
		{vol, api.KindMessage, "hbf-in0"},
		{vol, api.KindThread, c0},
		{adm, api.KindThread, c2}, // the admin's: stays
		{vol, api.KindReport, "hbf-r0"},
		{vol, api.KindHandover, c0},
		{vol, api.KindThread, c0},
		{adm, api.KindThread, c0},
		{adm, api.KindMessage, "hbf-in0"},
		{vol, api.KindAssignment, c1},
		{vol, store.FeedFirstText, "hbf-m1"},
		{vol, api.KindThread, c2}, // a thread the volunteer never handed on
		{vol, api.KindMessage, "hbf-m1"},
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, r := range rows {
			if _, err := tx.AppendFeed(ctx, r.user, r.kind, r.id, at(time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	feedOf := func(user string) string {
		got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
			return tx.FeedAfter(ctx, user, 0, 100)
		})
		s := ""
		for _, r := range got {
			s += r.Kind + " " + r.EntityID + "; "
		}
		return s
	}
	admin := feedOf(adm)
	supersede := func(user string, ids ...string) map[string]bool {
		t.Helper()
		var held map[string]bool
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			var err error
			held, err = tx.SupersedeHeldFeed(ctx, user, ids)
			return err
		})
		return held
	}
	held := supersede(vol, c0, c1, c2)
	if fmt.Sprint(held) != fmt.Sprint(map[string]bool{c0: true}) {
		t.Fatalf("held before: %v, want only %s (handed on once)", held, c0)
	}
	want := fmt.Sprintf("assignment %s; assignment %s; assignment %s; first_text hbf-m1; thread %s; message hbf-m1; ", c0, c0, c1, c2)
	if got := feedOf(vol); got != want {
		t.Errorf("the volunteer's feed after:\n %s\nwant\n %s", got, want)
	}
	if got := feedOf(adm); got != admin {
		t.Errorf("the admin's feed changed: %s, was %s", got, admin)
	}
	if held := supersede(adm, c1, c2); len(held) != 0 {
		t.Errorf("threads the admin never held, held before: %v", held)
	}
}
