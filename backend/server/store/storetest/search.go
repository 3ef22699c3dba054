package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

func testSearchCampaigns(t *testing.T, st store.Store) {
	w := newWorld(t, st, "srch", 0) // public, issue "Turnout"; the volunteer is a member
	priv := store.Campaign{ID: "priv", OrganizationID: w.Org.ID, Name: "Secret 100% Plan", Issue: "Turnout",
		JoinCode: "424242", Active: true, CreatedAt: t0}
	gone := store.Campaign{ID: "gone", OrganizationID: w.Org.ID, Name: "Srch Retired", JoinCode: "434343", Public: true, CreatedAt: t0}
	// Capitals beyond A-Z (SQLite's own LOWER folds A-Z only), and
	// accents, which a volunteer on an English keyboard leaves out.
	accent := store.Campaign{ID: "accent", OrganizationID: w.Org.ID, Name: "Élection Ñandú", Issue: "ÜBER Campaña",
		JoinCode: "454545", Active: true, Public: true, CreatedAt: t0}
	// LIKE's wildcards and its escape character in a name: typed, they
	// find it and nothing else. (Listed last by name, in byte order as in
	// a locale's.)
	wild := store.Campaign{ID: "wild", OrganizationID: w.Org.ID, Name: `Žeta 100% Green_Power \ Now`,
		JoinCode: "464646", Active: true, Public: true, CreatedAt: t0}
	stranger := addUser(t, st, "stranger")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateCampaign(ctx, priv); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, accent); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, wild); err != nil {
			return err
		}
		return tx.CreateCampaign(ctx, gone)
	})
	search := func(user, q string) string {
		cs := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Campaign, error) {
			return tx.SearchCampaigns(ctx, user, q, 10)
		})
		out := ""
		for _, c := range cs {
			out += fmt.Sprintf("%s:%s ", c.ID, c.Role)
		}
		return out
	}
	cases := []struct{ user, q, want string }{
		{stranger.ID, "SRCH", w.Campaign.ID + ": "},           // public, by name, any case
		{stranger.ID, "turnout", w.Campaign.ID + ": "},        // by issue; the private one is not listed
		{stranger.ID, "424242", "priv: "},                     // a private campaign by its exact code
		{stranger.ID, "4242", ""},                             // but not by part of it
		{stranger.ID, "100%", "wild: "},                       // % is a character, and priv is private anyway
		{stranger.ID, "", w.Campaign.ID + ": accent: wild: "}, // every public one, by name
		{stranger.ID, "%", "wild: "},                          // not every campaign
		{stranger.ID, "%%", ""},
		{stranger.ID, "_", "wild: "}, // not every campaign with a character
		{stranger.ID, "n_p", "wild: "},
		{stranger.ID, "n_w", ""},     // _ is not any character: "Green_Power" has no "n_w"
		{stranger.ID, "1_0", ""},     // nor here: "100"
		{stranger.ID, `\`, "wild: "}, // the escape character, as typed
		{stranger.ID, `\ now`, "wild: "},
		{stranger.ID, `\\`, ""}, // the name has one
		{stranger.ID, `\%`, ""},
		{stranger.ID, strings.Repeat("é", 200), ""}, // the longest the handler takes, folded to 200 e's
		{stranger.ID, "ÉLECTION " + strings.Repeat("x", 191), ""},
		{stranger.ID, "Élection", "accent: "},       // as typed
		{stranger.ID, "ÉLECTION ñandú", "accent: "}, // any case, beyond A-Z
		{stranger.ID, "über", "accent: "},           // by issue
		{stranger.ID, "campana", "accent: "},        // without its accents
		{stranger.ID, "CAMPANA", "accent: "},
		{stranger.ID, "election nandu", "accent: "},
		{stranger.ID, "secret", ""},                                       // a private one's name finds nothing, accents or not
		{stranger.ID, "\u0301", ""},                                       // an accent typed by itself: nothing, not everything
		{w.Volunteer.ID, "", w.Campaign.ID + ":volunteer accent: wild: "}, // with the caller's role, theirs first
		{w.Admin.ID, "srch", w.Campaign.ID + ":admin "},
		{stranger.ID, "434343", ""}, // retired
	}
	for _, c := range cases {
		if got := search(c.user, c.q); got != c.want {
			t.Errorf("SearchCampaigns(%s, %q) = %q, want %q", c.user, c.q, got, c.want)
		}
	}
	// A member sees their private campaign with an empty query, first.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: "priv", UserID: stranger.ID, Role: store.RoleVolunteer, CreatedAt: t0})
		return err
	})
	if got := search(stranger.ID, ""); got != "priv:volunteer "+w.Campaign.ID+": accent: wild: " {
		t.Errorf("member's empty search = %q, want their campaign first, then the public one", got)
	}
	// The limit counts the campaigns found, not those read: more public
	// campaigns than the limit, listed before it, leave it found.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i := range 11 {
			if err := tx.CreateCampaign(ctx, store.Campaign{ID: fmt.Sprintf("filler%d", i), OrganizationID: w.Org.ID,
				Name: fmt.Sprintf("Aaa Filler %02d", i), JoinCode: fmt.Sprintf("47%04d", i), Active: true, Public: true, CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if got := search(stranger.ID, "campana"); got != "accent: " {
		t.Errorf("search behind 11 other campaigns = %q, want accent", got)
	}
	if got := strings.Count(search(stranger.ID, "filler"), "filler"); got != 10 {
		t.Errorf("a search that matches 11 listed %d, want the limit, 10", got)
	}
	// A campaign renamed is found by its new name and issue, folded, and
	// no longer by the old ones.
	accent.Name, accent.Issue = "Año Nuevo", "Señales"
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateCampaign(ctx, accent) })
	for q, want := range map[string]string{"ano nuevo": "accent: ", "senales": "accent: ", "election": "", "campana": ""} {
		if got := search(stranger.ID, q); got != want {
			t.Errorf("after the rename, SearchCampaigns(%q) = %q, want %q", q, got, want)
		}
	}
}

// testSearchErrorHoldsNoText: a search that fails (here its context ends
// within the read) answers an error that still says why (errors.Is the
// cause) but not the text searched for, which the server logs: it is what
// a user typed (a name, a phone number, a join code).
func testSearchErrorHoldsNoText(t *testing.T, st store.Store) {
	stranger := addUser(t, st, "stranger")
	const q = "Ada Lovelace 2125550100"
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var searchErr error
	_ = st.View(ctx, func(tx store.Tx) error {
		cancel()
		_, searchErr = tx.SearchCampaigns(ctx, stranger.ID, q, 10)
		return searchErr
	})
	if !errors.Is(searchErr, context.Canceled) {
		t.Fatalf("search with its context ended = %v, want an error that is context.Canceled", searchErr)
	}
	for _, text := range []string{q, strings.ToLower(q), "Lovelace", "2125550100"} {
		if strings.Contains(searchErr.Error(), text) {
			t.Errorf("the search's error %q holds the text searched for (%q)", searchErr, text)
		}
	}
}
