package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var accountTests = []test{
	{"accounts/users by id, email in any case, count", testUsers},
	{"accounts/tokens find their user, touch and delete", testTokens},
	{"accounts/a user signed out everywhere, a new password", testSignedOutEverywhere},
	{"accounts/a user renamed; signed out everywhere but one sign-in", testRenameAndKeepOneSignIn},
	{"accounts/a sign-in's token or a new password only over the password checked, a change in flight waited for", testLoginToken},
}

var campaignTests = []test{
	{"campaigns/round trip, join codes among active campaigns", testCampaigns},
	{"campaigns/search: public by name or issue, code, members' own", testSearchCampaigns},
	{"campaigns/a failed search's error holds its cause, not the text", testSearchErrorHoldsNoText},
	{"campaigns/memberships added once", testMemberships},
	{"campaigns/actions round trip", testActions},
	{"campaigns/an action with its campaign and the asker's membership", testMemberAction},
}

func testMemberAction(t *testing.T, st store.Store) {
	w := newWorld(t, st, "mact", 0)
	stranger := store.User{ID: "mact-stranger", Name: "Sam", Email: "mact-stranger@example.org", PasswordHash: "h", CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateUser(ctx, stranger) })
	for _, tt := range []struct {
		user   string
		member bool
	}{{w.Volunteer.ID, true}, {w.Admin.ID, true}, {stranger.ID, false}} {
		var a store.Action
		var c store.Campaign
		var member bool
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			a, c, member, err = tx.MemberAction(ctx, w.Action.ID, tt.user)
			return err
		})
		if a.ID != w.Action.ID || a.Title != w.Action.Title || a.BatchSize != w.Action.BatchSize || len(a.Scripts) != len(w.Action.Scripts) ||
			a.TextingHours != w.Action.TextingHours || !a.CreatedAt.Equal(w.Action.CreatedAt) {
			t.Fatalf("MemberAction's action = %+v, want %+v", a, w.Action)
		}
		if c.ID != w.Campaign.ID || c.OrganizationID != w.Org.ID || c.Name != w.Campaign.Name || c.JoinCode != w.Campaign.JoinCode ||
			!c.Active || !c.Public || !c.CreatedAt.Equal(w.Campaign.CreatedAt) {
			t.Fatalf("MemberAction's campaign = %+v, want %+v", c, w.Campaign)
		}
		if member != tt.member {
			t.Fatalf("MemberAction for %s: member %v, want %v", tt.user, member, tt.member)
		}
	}
	err := st.View(ctxT(t), func(tx store.Tx) error {
		_, _, _, err := tx.MemberAction(ctxT(t), "no-such-action", w.Volunteer.ID)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("MemberAction of a missing action: %v, want ErrNotFound", err)
	}
}

func testUsers(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u := store.User{ID: "u1", Name: "Ann Example", Email: "Ann@Example.ORG", PasswordHash: "$2a$hash", CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateUser(ctx, u) })
	for _, by := range []func(tx store.Tx) (store.User, error){
		func(tx store.Tx) (store.User, error) { return tx.UserByID(ctx, "u1") },
		func(tx store.Tx) (store.User, error) { return tx.UserByEmail(ctx, "ann@example.org") },
		func(tx store.Tx) (store.User, error) { return tx.UserByEmail(ctx, "ANN@EXAMPLE.org") },
	} {
		got := get(t, st, func(_ context.Context, tx store.Tx) (store.User, error) { return by(tx) })
		if got.ID != "u1" || got.Name != u.Name || got.Email != "ann@example.org" || got.PasswordHash != u.PasswordHash || !got.CreatedAt.Equal(t0) {
			t.Errorf("user = %+v, want %+v with the email lower-cased", got, u)
		}
	}
	err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{ID: "u2", Name: "Imposter", Email: "ANN@example.org", CreatedAt: t0})
	})
	if !errors.Is(err, store.ErrEmailTaken) {
		t.Errorf("second user with the email in other case: %v, want ErrEmailTaken", err)
	}
	for _, lookup := range []func(tx store.Tx) error{
		func(tx store.Tx) error { _, err := tx.UserByID(ctx, "nobody"); return err },
		func(tx store.Tx) error { _, err := tx.UserByEmail(ctx, "nobody@example.org"); return err },
	} {
		if err := st.View(ctx, lookup); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing user: %v, want ErrNotFound", err)
		}
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountUsers(ctx) }); n != 1 {
		t.Errorf("CountUsers = %d, want 1", n)
	}
}

func testTokens(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u := addUser(t, st, "tok")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateToken(ctx, "hash-1", u.ID, at(time.Hour))
	})
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "hash-1") }); got.ID != u.ID {
		t.Fatalf("UserByToken = %+v", got)
	}
	var used store.TokenTimes
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		_, used, err = tx.TokenUser(ctx, "hash-1")
		return err
	})
	if !used.LastUsed.Equal(at(time.Hour)) || !used.CreatedAt.Equal(at(time.Hour)) {
		t.Errorf("a token never used: %+v, want created and last used at its creation %v", used, at(time.Hour))
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.TouchToken(ctx, "hash-1", at(2*time.Hour)) })
	// A use moves the last use, never the sign-in: the absolute lifetime
	// is measured from that.
	want := store.TokenTimes{CreatedAt: at(time.Hour), LastUsed: at(2 * time.Hour)}
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		got, used, err := tx.TokenUser(ctx, "hash-1")
		if err != nil {
			return err
		}
		if got.ID != u.ID || !used.LastUsed.Equal(want.LastUsed) || !used.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("after TouchToken: user %s times %+v, want %+v", got.ID, used, want)
		}
		return nil
	})
	// The store's own lookup, without a transaction (both engines have
	// one; the server uses it on every request), reads the same.
	tr, ok := st.(interface {
		TokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error)
	})
	if !ok {
		t.Fatalf("%T has no TokenUser of its own", st)
	}
	if got, used, err := tr.TokenUser(ctx, "hash-1"); err != nil || got.ID != u.ID || got.Email != u.Email ||
		!used.LastUsed.Equal(want.LastUsed) || !used.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("store TokenUser = %s, %s, %+v, %v; want %s times %+v", got.ID, got.Email, used, err, u.ID, want)
	}
	if _, _, err := tr.TokenUser(ctx, "no-such-hash"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("store TokenUser of an unknown token: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.DeleteToken(ctx, "hash-1") })
	if _, _, err := tr.TokenUser(ctx, "hash-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("store TokenUser of a deleted token: %v, want ErrNotFound", err)
	}
	for name, fn := range map[string]func(tx store.Tx) error{
		"UserByToken": func(tx store.Tx) error { _, err := tx.UserByToken(ctx, "hash-1"); return err },
		"TokenUser":   func(tx store.Tx) error { _, _, err := tx.TokenUser(ctx, "hash-1"); return err },
		"DeleteToken": func(tx store.Tx) error { return tx.DeleteToken(ctx, "hash-1") },
	} {
		if err := st.Update(ctx, fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of a deleted token: %v, want ErrNotFound", name, err)
		}
	}
}

func testSignedOutEverywhere(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u, other := addUser(t, st, "everywhere"), addUser(t, st, "bystander")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, tok := range [][2]string{{"laptop", u.ID}, {"desktop", u.ID}, {"theirs", other.ID}} {
			if err := tx.CreateToken(ctx, tok[0], tok[1], at(time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	signOut := func() int {
		var n int
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			n, err = tx.DeleteUserTokens(ctx, u.ID, "")
			return err
		})
		return n
	}
	if n := signOut(); n != 2 {
		t.Errorf("DeleteUserTokens = %d, want 2", n)
	}
	for _, h := range []string{"laptop", "desktop"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after DeleteUserTokens: %v, want ErrNotFound", h, err)
		}
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "theirs") }); got.ID != other.ID {
		t.Errorf("another user's token after DeleteUserTokens: %+v", got)
	}
	if n := signOut(); n != 0 {
		t.Errorf("DeleteUserTokens again = %d, want 0", n)
	}

	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.SetPasswordHash(ctx, u.ID, "new-hash") })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, u.ID) }); got.PasswordHash != "new-hash" {
		t.Errorf("password hash after SetPasswordHash: %q", got.PasswordHash)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, other.ID) }); got.PasswordHash == "new-hash" {
		t.Error("SetPasswordHash changed another user's password")
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.SetPasswordHash(ctx, "no-such-user", "x") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPasswordHash of no user: %v, want ErrNotFound", err)
	}
}

func testCampaigns(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "camp", 0)
	got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Campaign, error) {
		return tx.CampaignByID(ctx, w.Campaign.ID)
	})
	if got.CreatedAt.Equal(w.Campaign.CreatedAt) {
		got.CreatedAt = w.Campaign.CreatedAt // times are compared in timeTests
	}
	if got != w.Campaign {
		t.Fatalf("campaign round trip:\n got %+v\nwant %+v", got, w.Campaign)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Campaign, error) {
		return tx.CampaignByJoinCode(ctx, w.Campaign.JoinCode)
	}); got.ID != w.Campaign.ID {
		t.Fatalf("CampaignByJoinCode = %+v", got)
	}
	other := store.Campaign{ID: "other", OrganizationID: w.Org.ID, Name: "Other", JoinCode: w.Campaign.JoinCode, Active: true, CreatedAt: t0,
		Contact: "Orla Ortiz, orla@example.org"}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateCampaign(ctx, other) }); !errors.Is(err, store.ErrJoinCodeTaken) {
		t.Fatalf("a second active campaign with the code: %v, want ErrJoinCodeTaken", err)
	}
	// Retiring the campaign frees its code.
	retired := w.Campaign
	retired.Active = false
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateCampaign(ctx, retired) })
	if err := st.View(ctx, func(tx store.Tx) error {
		_, err := tx.CampaignByJoinCode(ctx, w.Campaign.JoinCode)
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the code of a retired campaign: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateCampaign(ctx, other) })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Campaign, error) {
		return tx.CampaignByJoinCode(ctx, w.Campaign.JoinCode)
	}); got.ID != "other" || got.Contact != "Orla Ortiz, orla@example.org" {
		t.Fatalf("the code now names %s (contact %q), want other", got.ID, got.Contact)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.CampaignByID(ctx, "nope"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing campaign: %v", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		renamed := other
		renamed.Name, renamed.Issue, renamed.Public, renamed.Contact = "Renamed", "Housing", true, "Pat, (217) 555-0100"
		return tx.UpdateCampaign(ctx, renamed)
	})
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Campaign, error) { return tx.CampaignByID(ctx, "other") }); got.Name != "Renamed" || got.Issue != "Housing" || !got.Public || !got.Active ||
		got.Contact != "Pat, (217) 555-0100" {
		t.Fatalf("after UpdateCampaign = %+v", got)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.UpdateCampaign(ctx, store.Campaign{ID: "nope"}) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of a missing campaign: %v, want ErrNotFound", err)
	}
}

func testMemberships(t *testing.T, st store.Store) {
	w := newWorld(t, st, "mem", 0)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		added, err := tx.AddMembership(ctx, store.Membership{CampaignID: w.Campaign.ID, UserID: w.Volunteer.ID, Role: store.RoleAdmin, CreatedAt: at(time.Hour)})
		if added {
			t.Error("AddMembership of a member reported added")
		}
		return err
	})
	m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Membership, error) {
		return tx.Membership(ctx, w.Campaign.ID, w.Volunteer.ID)
	})
	if m.Role != store.RoleVolunteer || !m.CreatedAt.Equal(t0) {
		t.Errorf("membership = %+v, want unchanged (volunteer since t0)", m)
	}
	ctx := ctxT(t)
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.Membership(ctx, w.Campaign.ID, "nobody"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("membership of a non-member: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMembershipRole(ctx, w.Campaign.ID, w.Volunteer.ID, store.RoleAdmin)
	})
	members := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Member, error) { return tx.Members(ctx, w.Campaign.ID) })
	if len(members) != 2 {
		t.Fatalf("Members = %+v, want 2", members)
	}
	for _, m := range members {
		if m.Role != store.RoleAdmin || m.Email == "" || m.Name == "" {
			t.Errorf("member %+v: want an admin with name and email", m)
		}
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.SetMembershipRole(ctx, w.Campaign.ID, "nobody", store.RoleAdmin)
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("role of a non-member: %v, want ErrNotFound", err)
	}
}

func testActions(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "act", 0)
	got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Action, error) { return tx.ActionByID(ctx, w.Action.ID) })
	if got.CreatedAt.Equal(w.Action.CreatedAt) {
		got.CreatedAt = w.Action.CreatedAt
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", w.Action) {
		t.Fatalf("action round trip:\n got %+v\nwant %+v", got, w.Action)
	}
	bare := store.Action{ID: "bare", CampaignID: w.Campaign.ID, Type: "friends", Title: "Bare", CreatorID: w.Admin.ID, CreatedAt: at(time.Second)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateAction(ctx, bare) })
	list := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Action, error) {
		return tx.ActionsByCampaign(ctx, w.Campaign.ID)
	})
	if len(list) != 2 {
		t.Fatalf("ActionsByCampaign = %d actions, want 2", len(list))
	}
	b := get(t, st, func(ctx context.Context, tx store.Tx) (store.Action, error) { return tx.ActionByID(ctx, "bare") })
	if len(b.Scripts) != 0 || len(b.ResponseScripts) != 0 || len(b.ReportFields) != 0 {
		t.Errorf("an action without scripts reads back %+v", b)
	}
	changed := w.Action
	changed.Title, changed.Scripts, changed.BatchSize, changed.AllowFreeText = "New title", []string{"Only"}, 50, false
	changed.TextingHours = store.TextingHours{Start: "10:00", End: "24:00"}
	changed.ReportFields = nil
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateAction(ctx, changed) })
	got = get(t, st, func(ctx context.Context, tx store.Tx) (store.Action, error) { return tx.ActionByID(ctx, w.Action.ID) })
	if got.Title != "New title" || fmt.Sprint(got.Scripts) != "[Only]" || got.BatchSize != 50 || got.AllowFreeText ||
		got.TextingHours.End != "24:00" || len(got.ReportFields) != 0 || !got.CreatedAt.Equal(t0) {
		t.Errorf("after UpdateAction = %+v", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetActionContactFields(ctx, w.Action.ID, []string{"ward", "precinct"})
	})
	if f := get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) {
		return tx.ActionContactFields(ctx, w.Action.ID)
	}); fmt.Sprint(f) != "[ward precinct]" {
		t.Errorf("ActionContactFields = %v", f)
	}
	if f := get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) { return tx.ActionContactFields(ctx, "bare") }); len(f) != 0 {
		t.Errorf("contact fields of a new action = %v, want none", f)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.ActionByID(ctx, "nope"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing action: %v", err)
	}
}

// testLoginToken: a sign-in's token is made only while the password hash
// it checked is the user's; a password change committing while the token
// is being made wins (it ended every sign-in), whichever engine.
func testLoginToken(t *testing.T, st store.Store) {
	u := addUser(t, st, "logintok") // password hash "h"
	ctx := ctxT(t)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateLoginToken(ctx, "login-1", u.ID, "h", at(time.Hour))
	})
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "login-1") }); got.ID != u.ID {
		t.Fatalf("UserByToken of a sign-in = %+v", got)
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateLoginToken(ctx, "login-2", u.ID, "another", at(time.Hour))
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a token for a password that is not the user's: %v, want ErrNotFound", err)
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateLoginToken(ctx, "login-3", "nobody", "h", at(time.Hour))
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a token for no user: %v, want ErrNotFound", err)
	}
	// A change in flight: it sets the new hash and ends the sign-ins, then
	// waits; a sign-in that checked the old hash makes its token meanwhile.
	inside, finish := make(chan struct{}), make(chan struct{})
	changed := make(chan error, 1)
	go func() {
		changed <- st.Update(ctx, func(tx store.Tx) error {
			if err := tx.SetPasswordHash(ctx, u.ID, "h2"); err != nil {
				return err
			}
			if _, err := tx.DeleteUserTokens(ctx, u.ID, ""); err != nil {
				return err
			}
			close(inside)
			<-finish
			return nil
		})
	}()
	<-inside
	login := make(chan error, 1)
	go func() {
		login <- st.Update(ctx, func(tx store.Tx) error {
			return tx.CreateLoginToken(ctx, "login-4", u.ID, "h", at(2*time.Hour))
		})
	}()
	time.Sleep(200 * time.Millisecond) // the sign-in reaches its insert (PostgreSQL) or the writer's queue (SQLite)
	close(finish)
	if err := <-changed; err != nil {
		t.Fatal(err)
	}
	if err := <-login; !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a sign-in with the old password during the change: %v, want ErrNotFound", err)
	}
	// A change checked against the old hash does not land over the new one.
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.ReplacePasswordHash(ctx, u.ID, "h", "h3") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("replacing a hash that changed: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.ReplacePasswordHash(ctx, u.ID, "h2", "h3") })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, u.ID) }); got.PasswordHash != "h3" {
		t.Fatalf("after replacing h2: %q", got.PasswordHash)
	}
	for _, h := range []string{"login-1", "login-4"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after the change: %v, want ErrNotFound", h, err)
		}
	}
}
