package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestHeldStatementsFailTheirOwnFn: feed rows and a claimed text's inserts
// are held back and sent later (pipeline.go); their errors must still be
// the error of the fn that wrote them, which is undone alone, while the
// group's other fns commit.
func TestHeldStatementsFailTheirOwnFn(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // user u, action a, thread k, message m
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateContact(ctx, store.Contact{ID: "k2", ActionID: "a", Phone: "+12125550102", CreatedAt: t0.Add(time.Second)}); err != nil {
			return err
		}
		_, _, err := tx.AssignContacts(ctx, "a", "o", "u", 2, 10, t0, nil, func(store.Contact) (bool, time.Time) { return true, time.Time{} })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{
		feedFn(ctx, "first"),
		func(tx store.Tx) error {
			// Held: a feed row PostgreSQL refuses (refusedText), and a
			// good row, undone with it.
			if err := tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "undone"}); err != nil {
				return err
			}
			return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: refusedText})
		},
		func(tx store.Tx) error {
			// After a claim the text's inserts are held; one that inserts
			// nothing (here the message id is taken, which the claim did
			// not check) is this fn's ErrDuplicate, seen from the command
			// tag, and the claim is undone with it.
			a, err := tx.ActionByID(ctx, "a")
			if err != nil {
				return err
			}
			ok, err := tx.ClaimInitial(ctx, store.InitialClaim{ContactID: "k2", UserID: "u", ActionID: "a",
				Scripts: a.Scripts, Hours: a.TextingHours, OrganizationID: "o", Phone: "+12125550102",
				InitialSince: t0.Add(-6 * time.Hour), MessageID: "m2", MutationID: "mu2", CampaignID: "c", Number: "+12025550100"})
			if err != nil || !ok {
				return fmt.Errorf("claim: %v, %w", ok, err)
			}
			return tx.CreateMessage(ctx, store.Message{ID: "m", ThreadID: "k", Direction: "out", Body: "again",
				Status: "queued", SenderID: "u", CreatedAt: t0})
		},
		feedFn(ctx, "last"),
	})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[3] != nil {
		t.Fatalf("fns without a bad statement failed: %v", errs)
	}
	if errs[1] == nil {
		t.Fatal("a feed row PostgreSQL refuses was accepted")
	}
	if !errors.Is(errs[2], store.ErrDuplicate) {
		t.Fatalf("a taken message id: %v, want ErrDuplicate", errs[2])
	}
	if got := feedOfU(t, st); len(got) != 2 || got[0] != "first" || got[1] != "last" {
		t.Fatalf("feed of u = %v; want [first last]: only the failed fn's rows undone", got)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		c, err := tx.ContactByID(ctx, "k2")
		if err == nil && c.State != store.ContactAssigned {
			t.Errorf("contact k2 is %s after its fn failed, want the claim undone (assigned)", c.State)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The same in a single Update: the held row's error fails it, nothing
	// is stored.
	err = st.Update(ctx, func(tx store.Tx) error {
		if err := feedFn(ctx, "alone")(tx); err != nil {
			return err
		}
		return tx.AppendFeeds(context.Background(), t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: refusedText})
	})
	if err == nil {
		t.Fatal("Update with a bad held feed row committed")
	}
	if got := feedOfU(t, st); len(got) != 2 {
		t.Errorf("feed of u after the failed Update has %d rows, want 2", len(got))
	}
}

// TestFirstTextsRideTogether: in a group, first texts' claims and inserts
// are all held, and check themselves in SQL (checks.go), so a group of
// them costs one round trip, COMMIT included, however many texts it holds
// (two each before statements were held, then two a group before they
// checked themselves), and every one of them is stored.
func TestFirstTextsRideTogether(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	const n = 8
	a := assignContacts(t, st, n)
	trips := postgres.CountRoundTrips(st)
	fns := make([]func(store.Tx) error, n)
	for i := range fns {
		fns[i] = firstText(ctx, a, i)
	}
	errs, err := st.UpdateEach(ctx, fns)
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("first text %d: %v", i, err)
		}
	}
	if got := trips.Load(); got != 1 {
		t.Errorf("%d first texts took %d round trips, want 1", n, got)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		for i := range n {
			c, err := tx.ContactByID(ctx, fmt.Sprintf("k%d", i))
			if err != nil {
				return err
			}
			if c.State != store.ContactTexted {
				t.Errorf("contact k%d is %s, want texted", i, c.State)
			}
			if _, err := tx.MessageByID(ctx, fmt.Sprintf("m%d", i)); err != nil {
				return err
			}
			if _, err := tx.MutationByID(ctx, fmt.Sprintf("mu%d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := feedOfU(t, st); len(got) != n {
		t.Errorf("feed of u has %d rows, want %d", len(got), n)
	}
}

// TestHeldFailureSeenByAnotherFn: a held statement that fails after its fn
// returned shows up in a later fn's statement, or in one that fn takes an
// error from for an answer; the group is then run again with each fn's
// statements sent when it returns, so the failure is its own fn's alone.
func TestHeldFailureSeenByAnotherFn(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	a := assignContacts(t, st, 3)
	bad := func(tx store.Tx) error {
		// Held: a feed row PostgreSQL refuses.
		return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: refusedText})
	}
	shrugs := func(tx store.Tx) error {
		// A fn that takes a failed read for an answer ("not there").
		_, _ = tx.MutationByID(ctx, "unknown")
		return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "shrugs"})
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{firstText(ctx, a, 0), bad, firstText(ctx, a, 1), bad, shrugs, firstText(ctx, a, 2)})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	for i, want := range []bool{false, true, false, true, false, false} {
		if (errs[i] != nil) != want {
			t.Errorf("fn %d: error %v, want an error: %v", i, errs[i], want)
		}
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[m0 m1 shrugs m2]" {
		t.Fatalf("feed of u = %v; want [m0 m1 shrugs m2]", got)
	}
}

// TestLostClaimRunsGroupAgain: a held claim that claims nothing (the
// contact was texted meanwhile, here by the fn before) gives up the group,
// also when the claim's own fn sent it with a later statement, and the
// group runs again with claims answered: the fn then learns its claim
// failed, and the group's other texts are stored once.
func TestLostClaimRunsGroupAgain(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	a := assignContacts(t, st, 2)
	again := func(tx store.Tx) error {
		ok, err := tx.ClaimInitial(ctx, store.InitialClaim{ContactID: "k0", UserID: "u", ActionID: "a",
			Scripts: a.Scripts, Hours: a.TextingHours, OrganizationID: "o", Phone: "+12125550200",
			InitialSince: t0.Add(-6 * time.Hour), MessageID: "m-again", MutationID: "mu-again", CampaignID: "c", Number: "+12025550100"})
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("k0 is texted already")
		}
		if err := tx.CreateMessage(ctx, store.Message{ID: "m-again", ThreadID: "k0", Direction: "out", Body: "again",
			Status: "queued", Initial: true, SenderID: "u", CreatedAt: t0}); err != nil {
			return err
		}
		// A read in the same fn (a push's next mutation) carries the
		// held claim: its failure must not pass for this read's error.
		if _, err := tx.MutationByID(ctx, "mu-next"); !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	}
	trips := postgres.CountRoundTrips(st)
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{firstText(ctx, a, 0), again, firstText(ctx, a, 1)})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || errs[1] == nil || errs[1].Error() != "k0 is texted already" {
		t.Fatalf("errs = %v, want only the second claim of k0 to fail, seeing its claim refused", errs)
	}
	if trips.Load() <= 2 {
		t.Errorf("%d round trips: the group did not run again", trips.Load())
	}
	err = st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.MessageByID(ctx, "m-again"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the refused text's message: %v, want not stored", err)
		}
		for _, m := range []string{"m0", "m1"} {
			if _, err := tx.MessageByID(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := feedOfU(t, st); len(got) != 2 {
		t.Errorf("feed of u has %d rows, want 2", len(got))
	}
}

// refusedText is a value PostgreSQL refuses in any text column (a NUL
// byte): the tests' way to have a statement fail on PostgreSQL's side.
const refusedText = "bad\x00"

// feedFn is a fn that appends the row id to user u's feed.
func feedFn(ctx context.Context, id string) func(store.Tx) error {
	return func(tx store.Tx) error {
		return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: id})
	}
}

// feedOfU is the entity ids of user u's feed, in order.
func feedOfU(t *testing.T, st store.Store) []string {
	t.Helper()
	var got []string
	err := st.View(t.Context(), func(tx store.Tx) error {
		rows, err := tx.FeedAfter(t.Context(), "u", 0, 100)
		for _, r := range rows {
			got = append(got, r.EntityID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// assignContacts adds contacts k0..k(n-1) to action a, assigned to u,
// and returns the action.
func assignContacts(t *testing.T, st store.Store, n int) store.Action {
	t.Helper()
	ctx := t.Context()
	var a store.Action
	err := st.Update(ctx, func(tx store.Tx) (err error) {
		if a, err = tx.ActionByID(ctx, "a"); err != nil {
			return err
		}
		for i := range n {
			if err := tx.CreateContact(ctx, store.Contact{ID: fmt.Sprintf("k%d", i), ActionID: "a",
				Phone: fmt.Sprintf("+1212555020%d", i), CreatedAt: t0.Add(time.Duration(i+1) * time.Second)}); err != nil {
				return err
			}
		}
		// seedText's contact k is in the pool too.
		got, _, err := tx.AssignContacts(ctx, "a", "o", "u", n+1, 100, t0, nil, nil)
		if err == nil && len(got) != n+1 {
			err = fmt.Errorf("assigned %d contacts, want %d", len(got), n+1)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// firstText writes a first text to contact ki as the server's planned path
// does: the claim, then the thread, the message, its feed row and the
// mutation.
func firstText(ctx context.Context, a store.Action, i int) func(store.Tx) error {
	return func(tx store.Tx) error {
		k, m, mu := fmt.Sprintf("k%d", i), fmt.Sprintf("m%d", i), fmt.Sprintf("mu%d", i)
		phone := fmt.Sprintf("+1212555020%d", i)
		ok, err := tx.ClaimInitial(ctx, store.InitialClaim{ContactID: k, UserID: "u", ActionID: "a",
			Scripts: a.Scripts, Hours: a.TextingHours, OrganizationID: "o", Phone: phone,
			InitialSince: t0.Add(-6 * time.Hour), MessageID: m, MutationID: mu, CampaignID: "c", Number: "+12025550100"})
		if err != nil || !ok {
			return fmt.Errorf("claim %s: %v, %w", k, ok, err)
		}
		if err := tx.CreateThread(ctx, store.Thread{ID: k, ActionID: "a", CampaignID: "c", OrganizationID: "o", OwnerID: "u",
			ContactPhone: phone, SendingNumber: "+12025550100", LastMessageAt: t0, CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateMessage(ctx, store.Message{ID: m, ThreadID: k, Direction: "out", Body: "hi", Status: "queued",
			Initial: true, SenderID: "u", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "firstText", EntityID: m}); err != nil {
			return err
		}
		return tx.PutMutation(ctx, store.Mutation{ID: mu, UserID: "u", Type: "sendInitial", CreatedAt: t0})
	}
}

// TestRepliesRideTogether: a reply whose provider id RouteInbound found
// unstored has its insert held, to go with the next reply's route: a group
// of replies costs one round trip each (two before), and a repeat of an id
// stored earlier in the same group is seen by its route.
func TestRepliesRideTogether(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	err := st.Update(ctx, func(tx store.Tx) error {
		out := t0.Add(time.Minute)
		return tx.ThreadActivity(ctx, "k", out, nil, &out, &out)
	})
	if err != nil {
		t.Fatal(err)
	}
	errSeen := errors.New("seen")
	reply := func(id, provider string) func(store.Tx) error {
		return func(tx store.Tx) error {
			r, err := tx.RouteInbound(ctx, "+12125550101", "+12025550100", provider)
			if err != nil {
				return err
			}
			if r.Seen {
				return errSeen
			}
			if err := tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: r.Thread.ID, Direction: "in", Body: "yes",
				Status: "received", ProviderID: provider, CreatedAt: t0}); err != nil {
				return err
			}
			return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "message", EntityID: id})
		}
	}
	trips := postgres.CountRoundTrips(st)
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{reply("r0", "SM0"), reply("r1", "SM1"), reply("r2", "SM0"), reply("r3", "SM3")})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[1] != nil || !errors.Is(errs[2], errSeen) || errs[3] != nil {
		t.Fatalf("errs = %v, want only the repeat of SM0 seen", errs)
	}
	// A route each (the reply before riding along, and the repeat's
	// savepoint undone); the last reply's insert rides with COMMIT.
	if got := trips.Load(); got != 5 {
		t.Errorf("4 replies took %d round trips, want 5", got)
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[r0 r1 r3]" {
		t.Fatalf("feed of u = %v; want [r0 r1 r3]", got)
	}
}
