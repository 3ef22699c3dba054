package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var campaignTests = []test{
	{"campaigns/round trip, join codes among active campaigns, and ever used", testCampaigns},
	{"campaigns/search: public by name or issue, code, members' own", testSearchCampaigns},
	{"campaigns/search leaves out a campaign the caller was removed from", testSearchLeavesOutRemoved},
	{"campaigns/a failed search's error holds its cause, not the text", testSearchErrorHoldsNoText},
	{"campaigns/a new join code: the old one joins nobody and is never drawn again", testNewJoinCode},
	{"campaigns/memberships added once", testMemberships},
	{"campaigns/a member removed is remembered", testRemoveMembership},
	{"campaigns/actions round trip", testActions},
	{"campaigns/an action with its campaign and the asker's membership", testMemberAction},
	{"campaigns/response scripts' earlier versions kept, read and forgotten", testScriptVersions},
	{"campaigns/search join refusals: one row an account, logged once a window", testSearchJoinRefusals},
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
	usedCode := func(code string) bool {
		return get(t, st, func(ctx context.Context, tx store.Tx) (bool, error) { return tx.JoinCodeEverUsed(ctx, code) })
	}
	if !usedCode(w.Campaign.JoinCode) || usedCode("000017") {
		t.Fatalf("JoinCodeEverUsed: %v for the active campaign's code, %v for a code no campaign had; want true, false",
			usedCode(w.Campaign.JoinCode), usedCode("000017"))
	}
	// Retiring the campaign frees its code, but not from memory: a code
	// drawn for a new campaign is none an archived one had.
	retired := w.Campaign
	retired.Active = false
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateCampaign(ctx, retired) })
	if !usedCode(w.Campaign.JoinCode) {
		t.Fatalf("JoinCodeEverUsed of an archived campaign's code = false, want true")
	}
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
	// A report field's AddedAt (export reports tells a tag never asked
	// from one left off by it) comes back as stored; nil stays nil.
	changed.ReportFields = []store.ReportField{{Key: "old", Label: "Old", Kind: "tag"},
		{Key: "new", Label: "New", Kind: "tag", AddedAt: ptr(at(time.Hour))}}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateAction(ctx, changed) })
	got = get(t, st, func(ctx context.Context, tx store.Tx) (store.Action, error) { return tx.ActionByID(ctx, w.Action.ID) })
	if len(got.ReportFields) != 2 || got.ReportFields[0].AddedAt != nil || got.ReportFields[1].AddedAt == nil ||
		!got.ReportFields[1].AddedAt.Equal(at(time.Hour)) {
		t.Errorf("report fields' AddedAt after UpdateAction = %+v", got.ReportFields)
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
