package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// The batch reads agree with the one-entity reads and leave out ids that
// name nothing, including ones that look like SQL or JSON.
func TestBatchReadsMatchSingleReads(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer st.Close()
	odd := []string{"missing", `x"]`, "'); DROP TABLE threads; --", ""}
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, step := range []func() error{
			func() error { return tx.CreateOrganization(ctx, store.Organization{ID: "o", Name: "O", CreatedAt: t0}) },
			func() error {
				return tx.CreateUser(ctx, store.User{ID: "u", Name: "U", Email: "u@example.org", PasswordHash: "h", CreatedAt: t0})
			},
			func() error {
				return tx.CreateCampaign(ctx, store.Campaign{ID: "c", OrganizationID: "o", Name: "C", JoinCode: "111111", Active: true, CreatedAt: t0})
			},
			func() error {
				return tx.CreateAction(ctx, store.Action{ID: "a", CampaignID: "c", Type: api.ActionP2P, Title: "A", CreatorID: "u", CreatedAt: t0})
			},
		} {
			if err := step(); err != nil {
				return err
			}
		}
		for _, id := range []string{"k1", "k2"} {
			if err := tx.CreateContact(ctx, store.Contact{ID: id, ActionID: "a", FirstName: id, Phone: "+1555000" + id[1:], CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.CreateThread(ctx, store.Thread{ID: id, ActionID: "a", CampaignID: "c", OrganizationID: "o", OwnerID: "u",
				ContactName: id, ContactPhone: "+1555000" + id[1:], SendingNumber: "+15550001000", LastMessageAt: t0, LastOutboundAt: &t0, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.CreateMessage(ctx, store.Message{ID: "m" + id, ThreadID: id, Direction: api.DirOutbound, Body: "hi", Status: api.StatusQueued, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.CreateReport(ctx, store.Report{ID: "r" + id, ThreadID: id, UserID: "u", Values: map[string]string{"q": id}, SubmittedAt: t0}); err != nil {
				return err
			}
		}
		return tx.PutInboxState(ctx, store.InboxState{UserID: "u", ThreadID: "k1", LastReadAt: &t0, Archived: true, ArchivedReason: "manual"})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		threads, err := tx.ThreadsByIDs(ctx, append([]string{"k1", "k2", "k1"}, odd...))
		if err != nil {
			return err
		}
		messages, err := tx.MessagesByIDs(ctx, append([]string{"mk1", "mk2"}, odd...))
		if err != nil {
			return err
		}
		reports, err := tx.ReportsByIDs(ctx, append([]string{"rk1", "rk2"}, odd...))
		if err != nil {
			return err
		}
		contacts, err := tx.ContactsByIDs(ctx, append([]string{"k1", "k2"}, odd...))
		if err != nil {
			return err
		}
		states, err := tx.InboxStates(ctx, "u", append([]string{"k1", "k2"}, odd...))
		if err != nil {
			return err
		}
		if len(threads) != 2 || len(messages) != 2 || len(reports) != 2 || len(contacts) != 2 || len(states) != 1 {
			t.Fatalf("got %d threads, %d messages, %d reports, %d contacts, %d states; want 2, 2, 2, 2, 1",
				len(threads), len(messages), len(reports), len(contacts), len(states))
		}
		for _, id := range []string{"k1", "k2"} {
			th, err := tx.ThreadByID(ctx, id)
			if err != nil {
				return err
			}
			if got := threads[id]; got.ContactName != th.ContactName || !got.LastMessageAt.Equal(th.LastMessageAt) || got.OwnerID != th.OwnerID {
				t.Errorf("thread %s by batch %+v, alone %+v", id, got, th)
			}
			m, err := tx.MessageByID(ctx, "m"+id)
			if err != nil {
				return err
			}
			if got := messages["m"+id]; got.Body != m.Body || got.ThreadID != id || !got.CreatedAt.Equal(m.CreatedAt) {
				t.Errorf("message m%s by batch %+v, alone %+v", id, got, m)
			}
			if got := reports["r"+id]; got.Values["q"] != id || got.ThreadID != id {
				t.Errorf("report r%s by batch %+v", id, got)
			}
			if got := contacts[id]; got.FirstName != id || got.ActionID != "a" {
				t.Errorf("contact %s by batch %+v", id, got)
			}
		}
		if s := states["k1"]; !s.Archived || s.ArchivedReason != "manual" || s.LastReadAt == nil || !s.LastReadAt.Equal(t0) {
			t.Errorf("inbox state = %+v", s)
		}
		for _, id := range odd {
			if _, ok := threads[id]; ok {
				t.Errorf("batch read found a thread for %q", id)
			}
		}
		none, err := tx.ThreadsByIDs(ctx, nil)
		if err != nil || len(none) != 0 {
			t.Errorf("no ids: %v, %v", none, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
