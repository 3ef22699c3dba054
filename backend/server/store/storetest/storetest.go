// Package storetest is the conformance suite of store.Store: every
// behaviour the campaign server relies on, run against any engine. An
// engine's tests call Run with a function that opens a fresh, empty,
// migrated store for each test (and closes it in t.Cleanup):
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { ... })
//	}
//
// The suite states the contract in terms of the Store and Tx interfaces
// only, so a test that fails on one engine names a behaviour the server
// would get wrong there.
package storetest

import (
	"context"
	"fmt"
	"hash/fnv"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// Run runs the whole suite, each test on a store of its own from open.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	for _, group := range [][]test{
		transactionTests, accountTests, campaignTests, assignTests, numberTests, threadTests,
		byPhoneTests, adminTests, inboxTests, answeredTests, optOutTests, mutationTests, feedTests, outboxTests, organizerTests, timeTests, claimTests, aheadTests,
	} {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
		}
	}
}

type test struct {
	name string
	fn   func(t *testing.T, st store.Store)
}

// Message directions and statuses as the server stores them (the wire
// values of backend/api; the suite does not import the wire package).
const (
	dirOut        = "out"
	dirIn         = "in"
	statusQueued  = "queued"
	statusSending = "sending"
	statusSent    = "sent"
	statusRecv    = "received"
)

// t0 has sub-second digits down to the microsecond, the precision every
// engine keeps (the server truncates its clock to it).
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 123456000, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func ptr[T any](v T) *T { return &v }

func ctxT(t *testing.T) context.Context { return t.Context() }

// update and view run fn in a transaction and fail the test on error.
func update(t *testing.T, st store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := ctxT(t)
	if err := st.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func view(t *testing.T, st store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := ctxT(t)
	if err := st.View(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("view: %v", err)
	}
}

// get reads one value in a read transaction.
func get[T any](t *testing.T, st store.Store, fn func(ctx context.Context, tx store.Tx) (T, error)) T {
	t.Helper()
	var out T
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		out, err = fn(ctx, tx)
		return err
	})
	return out
}

// world is one organization with a campaign, an action, a volunteer, an
// admin, a sending number and contacts in list order.
type world struct {
	Org       store.Organization
	Campaign  store.Campaign
	Action    store.Action
	Volunteer store.User
	Admin     store.User
	Number    string
	Contacts  []store.Contact
}

// newWorld stores a world with n contacts, each created a millisecond after
// the one before (the pool's list order).
func newWorld(t *testing.T, st store.Store, prefix string, n int) world {
	t.Helper()
	w := world{
		Org:       store.Organization{ID: prefix + "org", Name: prefix + " Org", CreatedAt: t0},
		Volunteer: store.User{ID: prefix + "vol", Name: "Val Volunteer", Email: prefix + "vol@example.org", PasswordHash: "h", CreatedAt: t0},
		Admin:     store.User{ID: prefix + "adm", Name: "Ada Admin", Email: prefix + "adm@example.org", PasswordHash: "h", CreatedAt: t0},
		Number:    fmt.Sprintf("+1202555%04d", hash(prefix)%10000),
	}
	w.Campaign = store.Campaign{ID: prefix + "camp", OrganizationID: w.Org.ID, Name: prefix + " Campaign", Issue: "Turnout",
		JoinCode: fmt.Sprintf("%06d", 100000+hash(prefix)%900000), Public: true, Active: true, CreatedAt: t0}
	w.Action = store.Action{ID: prefix + "act", CampaignID: w.Campaign.ID, Type: "p2p", Title: "GOTV",
		Description: "d", Instructions: "i", Scripts: []string{"Hi {first_name}", "Hello {first_name}"},
		ResponseScripts: []store.ResponseScript{{ID: "r1", Label: "Thanks", Body: "Thanks!", Tags: []string{"thanked"}}},
		ReportFields: []store.ReportField{
			{Key: "thanked", Label: "Thanked", Kind: "tag"},
			{Key: "vote", Label: "Vote", Kind: "choice", Choices: []string{"yes", "no"}},
		},
		TextingHours: store.TextingHours{Start: "09:00", End: "21:00"}, BatchSize: 5, AllowFreeText: true,
		CreatorID: w.Admin.ID, CreatedAt: t0}
	for i := range n {
		w.Contacts = append(w.Contacts, store.Contact{
			ID: fmt.Sprintf("%scontact%04d", prefix, i), ActionID: w.Action.ID, FirstName: fmt.Sprintf("First%d", i),
			LastName: "Last", Phone: fmt.Sprintf("+1415555%04d", i), Zip: "94110", ExternalID: fmt.Sprintf("ext%d", i),
			Fields: map[string]string{"ward": fmt.Sprint(i % 3)}, ScriptIndex: i % 2, State: store.ContactUnassigned,
			CreatedAt: at(time.Duration(i) * time.Millisecond),
		})
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, err := range []error{
			tx.CreateOrganization(ctx, w.Org),
			tx.CreateUser(ctx, w.Volunteer),
			tx.CreateUser(ctx, w.Admin),
			tx.CreateCampaign(ctx, w.Campaign),
		} {
			if err != nil {
				return err
			}
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: w.Campaign.ID, UserID: w.Volunteer.ID, Role: store.RoleVolunteer, CreatedAt: t0}); err != nil {
			return err
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: w.Campaign.ID, UserID: w.Admin.ID, Role: store.RoleAdmin, CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, w.Action); err != nil {
			return err
		}
		if err := tx.AddSendingNumber(ctx, w.Campaign.ID, w.Number, t0); err != nil {
			return err
		}
		for _, c := range w.Contacts {
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	return w
}

// thread stores the conversation of contact i, owned by owner, texted from
// the world's number, and returns it.
func (w world) thread(t *testing.T, st store.Store, i int, owner string) store.Thread {
	t.Helper()
	c := w.Contacts[i]
	th := store.Thread{ID: c.ID, ActionID: w.Action.ID, CampaignID: w.Campaign.ID, OrganizationID: w.Org.ID,
		OwnerID: owner, ContactName: c.FirstName + " " + c.LastName, ContactPhone: c.Phone, SendingNumber: w.Number,
		LastMessageAt: at(time.Minute), CreatedAt: at(time.Minute)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateThread(ctx, th) })
	return th
}

// user stores another user.
func addUser(t *testing.T, st store.Store, id string) store.User {
	t.Helper()
	u := store.User{ID: id, Name: "User " + id, Email: id + "@example.org", PasswordHash: "h", CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateUser(ctx, u) })
	return u
}

// hash spreads world prefixes over join codes and numbers.
func hash(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() & 0x7fffffff)
}
