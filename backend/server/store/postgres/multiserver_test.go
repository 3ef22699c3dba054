package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 123456789, time.UTC)

// seedText stores one queued outbound text and returns its id.
func seedText(t *testing.T, st store.Store) string {
	t.Helper()
	ctx := t.Context()
	err := st.Update(ctx, func(tx store.Tx) error {
		steps := []func() error{
			func() error { return tx.CreateOrganization(ctx, store.Organization{ID: "o", Name: "O", CreatedAt: t0}) },
			func() error {
				return tx.CreateUser(ctx, store.User{ID: "u", Name: "U", Email: "u@example.org", CreatedAt: t0})
			},
			func() error {
				return tx.CreateCampaign(ctx, store.Campaign{ID: "c", OrganizationID: "o", Name: "C", JoinCode: "123456", Active: true, CreatedAt: t0})
			},
			func() error {
				return tx.CreateAction(ctx, store.Action{ID: "a", CampaignID: "c", Type: "p2p", Title: "A", CreatorID: "u", CreatedAt: t0})
			},
			func() error { return tx.AddSendingNumber(ctx, "c", "+12025550100", t0) },
			func() error { _, err := tx.AssignSendingNumber(ctx, "c", "u", t0); return err },
			func() error {
				return tx.CreateContact(ctx, store.Contact{ID: "k", ActionID: "a", Phone: "+12125550101", CreatedAt: t0})
			},
			func() error {
				return tx.CreateThread(ctx, store.Thread{ID: "k", ActionID: "a", CampaignID: "c", OrganizationID: "o", OwnerID: "u",
					ContactPhone: "+12125550101", SendingNumber: "+12025550100", LastMessageAt: t0, CreatedAt: t0})
			},
			func() error {
				return tx.CreateMessage(ctx, store.Message{ID: "m", ThreadID: "k", Direction: "out", Body: "hi", Status: "queued",
					SenderID: "u", CreatedAt: t0})
			},
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return "m"
}

func pending(t *testing.T, st store.Store, status string) []store.Outgoing {
	t.Helper()
	var out []store.Outgoing
	err := st.Update(t.Context(), func(tx store.Tx) error {
		var err error
		out, err = tx.PendingMessages(t.Context(), status, 10)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRecoveryTakesOnlyGoneServersTexts: a text left sending by a live
// server is not recovered by another; once that server is gone (its lock
// connection cut, as a SIGKILL cuts it) exactly one other adopts it.
func TestRecoveryTakesOnlyGoneServersTexts(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b, c := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	id := seedText(t, a)

	claim := func(st store.Store) (out []store.Outgoing) {
		t.Helper()
		if err := st.Update(t.Context(), func(tx store.Tx) error {
			return tx.ClaimQueued(t.Context(), 10, "message", t0, func(l []store.Outgoing) { out = l })
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	claimed := claim(a)
	if len(claimed) != 1 || claimed[0].ID != id || claimed[0].Status != "sending" {
		t.Fatalf("server A claimed %+v", claimed)
	}
	if got := claim(b); len(got) != 0 {
		t.Fatalf("server B claimed a text A is sending: %+v", got)
	}
	if got := pending(t, b, "sending"); len(got) != 0 {
		t.Fatalf("server B recovered a text of live server A: %+v", got)
	}
	// A running server's own look (a commit lost on its way back) sees its
	// own text, never another live server's.
	if got := ownSending(t, a); len(got) != 1 || got[0].ID != id {
		t.Fatalf("server A's own sending texts = %+v, want %s", got, id)
	}
	if got := ownSending(t, b); len(got) != 0 {
		t.Fatalf("server B listed server A's text as its own: %+v", got)
	}

	// A's lock connection cut, as A's death cuts it (a clean Close gives
	// its texts up instead: TestCloseGivesUpTexts); B and C take its key's
	// texts over once the key has been free for their grace.
	b.SetAdoptGrace(300 * time.Millisecond)
	c.SetAdoptGrace(300 * time.Millisecond)
	eb, ec := postgres.Epoch(b), postgres.Epoch(c)
	pgtest.CutLocks(t, url)
	// The cut ends B's and C's lock connections too. A text B adopted
	// before it noticed would be claimed under its ended epoch's key, left
	// to be adopted again (as it should), and not B's own: wait until both
	// hold new keys.
	for deadline := time.Now().Add(30 * time.Second); postgres.Epoch(b) == eb || postgres.Epoch(c) == ec; {
		if time.Now().After(deadline) {
			t.Fatal("B and C did not take their instance locks again after the cut")
		}
		time.Sleep(10 * time.Millisecond)
	}
	var adopted []store.Outgoing
	for deadline := time.Now().Add(10 * time.Second); len(adopted) == 0 && time.Now().Before(deadline); {
		adopted = pending(t, b, "sending")
		time.Sleep(10 * time.Millisecond)
	}
	if len(adopted) != 1 || adopted[0].ID != id || adopted[0].To != "+12125550101" {
		t.Fatalf("server B adopted %+v, want text %s", adopted, id)
	}
	if got := pending(t, c, "sending"); len(got) != 0 {
		t.Fatalf("server C adopted the text B had already taken over: %+v", got)
	}
	if got := ownSending(t, b); len(got) != 1 || got[0].ID != id {
		t.Fatalf("server B's own sending texts after adopting = %+v, want %s", got, id)
	}
}

func ownSending(t *testing.T, st store.Store) []store.Outgoing {
	t.Helper()
	var out []store.Outgoing
	if err := st.View(t.Context(), func(tx store.Tx) (err error) {
		out, err = tx.OwnSending(t.Context(), store.SendingCursor{}, 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRunExclusive: while one server runs a job, another skips it.
func TestRunExclusive(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	ctx := t.Context()
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		ran, err := a.RunExclusive(ctx, "archive-inactive", func(context.Context) error {
			close(inside)
			<-release
			return nil
		})
		if err == nil && !ran {
			t.Error("server A did not run the job with nobody else at it")
		}
		done <- err
	}()
	<-inside
	ran, err := b.RunExclusive(ctx, "archive-inactive", func(context.Context) error {
		t.Error("server B ran the job while A held it")
		return nil
	})
	if err != nil || ran {
		t.Fatalf("server B: ran %v, err %v", ran, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ran, err = b.RunExclusive(ctx, "archive-inactive", func(context.Context) error { return nil })
	if err != nil || !ran {
		t.Fatalf("after A finished, server B: ran %v, err %v", ran, err)
	}
}

// TestRefusesNewerSchema: a database migrated by a newer textbankd is
// refused, not written with an older idea of its columns.
func TestRefusesNewerSchema(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	st.Close()
	other := pgtest.OpenURL(t, url)
	if err := other.Update(t.Context(), func(tx store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := execSQL(t, url, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)`); err != nil {
		t.Fatal(err)
	}
	_, err := postgres.Open(t.Context(), url)
	if err == nil || !errors.Is(err, schema.ErrTooNew) {
		t.Fatalf("open of a newer schema: %v", err)
	}
}

func execSQL(t *testing.T, url, q string) error {
	t.Helper()
	c, err := pgx.Connect(t.Context(), url)
	if err != nil {
		return err
	}
	defer c.Close(t.Context())
	_, err = c.Exec(t.Context(), q)
	return err
}

func orphaned(t *testing.T, st *postgres.Store) []store.Outgoing {
	t.Helper()
	var out []store.Outgoing
	err := st.Update(t.Context(), func(tx store.Tx) error {
		var err error
		out, err = tx.(interface {
			AdoptOrphaned(context.Context, int) ([]store.Outgoing, error)
		}).AdoptOrphaned(t.Context(), 10)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdoptOrphanedWhileRunning: a running server takes over the texts a
// dead server left sending, never its own texts in flight nor a live
// server's; a View cannot adopt.
func TestAdoptOrphanedWhileRunning(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	id := seedText(t, a)
	if got := pending(t, a, "queued"); len(got) != 1 {
		t.Fatalf("server A claimed %+v", got)
	}
	if err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatus(t.Context(), id, "sending", "", "", nil)
	}); err != nil {
		t.Fatal(err)
	}
	if got := orphaned(t, a); len(got) != 0 {
		t.Fatalf("server A adopted its own text in flight: %+v", got)
	}
	if got := orphaned(t, b); len(got) != 0 {
		t.Fatalf("server B adopted a text of live server A: %+v", got)
	}
	err := b.View(t.Context(), func(tx store.Tx) error {
		_, err := tx.(interface {
			AdoptOrphaned(context.Context, int) ([]store.Outgoing, error)
		}).AdoptOrphaned(t.Context(), 10)
		return err
	})
	if err == nil {
		t.Fatal("a read-only transaction adopted texts")
	}

	b.SetAdoptGrace(300 * time.Millisecond)
	pgtest.CutLocks(t, url) // as A's death cuts its lock connection
	var adopted []store.Outgoing
	for deadline := time.Now().Add(10 * time.Second); len(adopted) == 0 && time.Now().Before(deadline); {
		adopted = orphaned(t, b)
		time.Sleep(10 * time.Millisecond)
	}
	if len(adopted) != 1 || adopted[0].ID != id || adopted[0].From != "+12025550100" {
		t.Fatalf("server B adopted %+v, want text %s", adopted, id)
	}
	if got := orphaned(t, b); len(got) != 0 {
		t.Fatalf("server B adopted its own (adopted) text again: %+v", got)
	}
}

// TestSameWordsElsewhere: a text another server has sending, with the
// words, numbers and contact of the one asked about, is in flight
// elsewhere until it is recorded; other words, this server's own texts
// and texts given up (no server's) are not.
func TestSameWordsElsewhere(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	id := seedText(t, a) // queued, "hi", thread k
	create := func(st store.Store, id, body string) {
		t.Helper()
		if err := st.Update(t.Context(), func(tx store.Tx) error {
			return tx.CreateMessage(t.Context(), store.Message{ID: id, ThreadID: "k", Direction: "out", Body: body,
				Status: "sending", SenderID: "u", CreatedAt: t0})
		}); err != nil {
			t.Fatal(err)
		}
	}
	asks := func(st store.Store, id, body string) bool {
		t.Helper()
		var busy bool
		if err := st.View(t.Context(), func(tx store.Tx) (err error) {
			busy, err = tx.SameWordsElsewhere(t.Context(), store.Outgoing{Message: store.Message{ID: id, Body: body},
				From: "+12025550100", To: "+12125550101"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return busy
	}
	create(a, "own", "hi")    // A's own: its dispatcher knows its calls
	create(b, "theirs", "hi") // sending under B's key
	create(b, "other", "bye") // other words
	if !asks(a, id, "hi") {
		t.Fatal("server A does not see B's text with the same words sending")
	}
	if !asks(a, id, "bye") {
		t.Fatal("server A does not see B's text with other words when asking about those")
	}
	if asks(a, "other", "bye") {
		t.Fatal("a text is in flight elsewhere as another text with its own words")
	}
	if !asks(b, "theirs", "hi") {
		t.Fatal("server B does not see A's text with the same words sending")
	}
	if asks(b, "nothing", "see you") {
		t.Fatal("words no text has are in flight elsewhere")
	}
	if err := b.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatuses(t.Context(), []store.MessageStatus{{ID: "theirs", Status: "sent", ProviderID: "SMtheirs"},
			{ID: "other", Status: "sent", ProviderID: "SMother"}})
	}); err != nil {
		t.Fatal(err)
	}
	if asks(a, id, "hi") || asks(a, id, "bye") {
		t.Fatal("server A still sees B's texts in flight once they are recorded sent")
	}
	// Given up by a server that stopped: no server's call is under way.
	c := pgtest.OpenURL(t, url)
	create(c, "given-up", "hi")
	if !asks(a, id, "hi") {
		t.Fatal("server A does not see C's text with the same words sending")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if asks(a, id, "hi") {
		t.Fatal("server A sees a text given up by a server that stopped as in flight")
	}
}
