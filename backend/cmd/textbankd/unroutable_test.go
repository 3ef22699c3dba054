package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestUnroutableNamesTheCampaign: each unroutable text says which campaign
// it was for: the one whose pool had the number when it came, marked when
// archived; "-" (--json: "") when no pool had it. A number added to a pool
// later, or taken over by a newer campaign, does not change whose the texts
// it received before are.
func TestUnroutableNamesTheCampaign(t *testing.T) {
	dir := seedCampaign(t) // a text to +12025550100, in no pool then
	env := map[string]string{"TEXTBANK_DATA": dir}
	check := func(want ...UnroutableText) {
		t.Helper()
		code, out, errOut := runCLI(t, env, "", "unroutable")
		flat := strings.Join(strings.Fields(out), " ")
		for _, w := range want {
			camp := "-"
			if w.Campaign != "" {
				camp = w.JoinCode + " " + w.Campaign
				if w.Archived {
					camp += " (archived)"
				}
			}
			if code != 0 || !strings.Contains(out, "CAMPAIGN") || !strings.Contains(flat, w.To+" "+camp+" - "+w.Body) {
				t.Fatalf("unroutable: %d\n%s%s\nwant %q for %q", code, out, errOut, camp, w.Body)
			}
		}
		code, out, _ = runCLI(t, env, "", "unroutable", "--json")
		var rows []UnroutableText
		if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != len(want) {
			t.Fatalf("unroutable --json: %d %s", code, out)
		}
		for i, w := range want { // newest first, as given
			r := rows[i]
			if r.Body != w.Body || r.JoinCode != w.JoinCode || r.Campaign != w.Campaign || r.Archived != w.Archived {
				t.Fatalf("unroutable --json row %d = %+v, want %+v", i, r, w)
			}
		}
	}
	before := UnroutableText{To: "+12025550100", Body: "who is this?"}
	check(before)
	if code, _, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", "424242", "+12025550100"); code != 0 {
		t.Fatalf("numbers add: %s", errOut)
	}
	check(before) // it came before the number was Turnout's
	// A text that comes now is Turnout's (Receive records the campaign).
	addUnroutable(t, dir, store.Unroutable{ID: "u2", ProviderID: "SM2", From: "+12125550102", To: "+12025550100",
		Body: "hello?", ReceivedAt: time.Now().UTC().Add(time.Second), CampaignID: "camp"})
	turnout := UnroutableText{To: "+12025550100", Body: "hello?", JoinCode: "424242", Campaign: "Turnout"}
	check(turnout, before)
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", "424242", "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	turnout.Archived = true
	check(turnout, before)
	// Next season takes the number over: Turnout's text stays Turnout's.
	addCampaign(t, dir, store.Campaign{ID: "camp2", OrganizationID: "org", Name: "Next", JoinCode: "515151", Active: true,
		CreatedAt: time.Now().UTC()})
	if code, _, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", "515151", "+12025550100"); code != 0 {
		t.Fatalf("take the number over: %s", errOut)
	}
	check(turnout, before)
}

// TestUnroutableSaysWhoHandledIt: a text an admin marked handled in the app
// is still listed, with when and by whom; an open one says "-".
func TestUnroutableSaysWhoHandledIt(t *testing.T) {
	dir := seedCampaign(t) // u1: "who is this?"
	env := map[string]string{"TEXTBANK_DATA": dir}
	addUnroutable(t, dir, store.Unroutable{ID: "u2", ProviderID: "SM2", From: "+12125550102", To: "+12025550100",
		Body: "still open", ReceivedAt: time.Now().UTC().Add(time.Second), CampaignID: "camp"})
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "olive", Name: "Olive Organizer", Email: "olive@example.org", PasswordHash: "h", CreatedAt: at}); err != nil {
			return err
		}
		return tx.SetMarked(ctx, store.UnroutableMarks, "u1", true, "olive", at)
	})
	code, out, errOut := runCLI(t, env, "", "unroutable")
	flat := strings.Join(strings.Fields(out), " ")
	if code != 0 || !strings.Contains(out, "HANDLED") || !strings.Contains(flat, "- 2026-11-03 09:30 UTC by Olive Organizer who is this?") ||
		!strings.Contains(flat, "424242 Turnout - still open") {
		t.Fatalf("unroutable: %d\n%s%s\nwant the handled text with when and by whom, the open one with -", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "unroutable", "--json")
	var rows []UnroutableText
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("unroutable --json: %d %s", code, out)
	}
	if r := rows[1]; r.Body != "who is this?" || r.HandledAt != "2026-11-03T09:30:00Z" || r.HandledBy != "Olive Organizer" {
		t.Errorf("handled row %+v, want when and by whom", r)
	}
	if r := rows[0]; r.HandledAt != "" || r.HandledBy != "" {
		t.Errorf("open row %+v says it was handled", r)
	}
}

// addUnroutable stores u in the data directory's database.
func addUnroutable(t *testing.T, dir string, u store.Unroutable) {
	t.Helper()
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error { return tx.AddUnroutable(ctx, u) })
}

// addCampaign stores c in the data directory's database.
func addCampaign(t *testing.T, dir string, c store.Campaign) {
	t.Helper()
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error { return tx.CreateCampaign(ctx, c) })
}

// TestUnroutableOfOneCampaign: --campaign lists only the texts kept with
// that campaign (what its admins see), named by join code or, archived, by
// id; an unknown campaign is an error that says where to look.
func TestUnroutableOfOneCampaign(t *testing.T) {
	dir := seedCampaign(t) // Turnout (424242, id camp); a text kept with no campaign
	env := map[string]string{"TEXTBANK_DATA": dir}
	addCampaign(t, dir, store.Campaign{ID: "camp2", OrganizationID: "org", Name: "Next", JoinCode: "515151", Active: true,
		CreatedAt: time.Now().UTC()})
	now := time.Now().UTC()
	addUnroutable(t, dir, store.Unroutable{ID: "u2", ProviderID: "SM2", From: "+12125550102", To: "+12025550100",
		Body: "for turnout", ReceivedAt: now.Add(time.Second), CampaignID: "camp"})
	addUnroutable(t, dir, store.Unroutable{ID: "u3", ProviderID: "SM3", From: "+12125550103", To: "+12025550199",
		Body: "for next", ReceivedAt: now.Add(2 * time.Second), CampaignID: "camp2"})
	bodies := func(args ...string) []string {
		t.Helper()
		code, out, errOut := runCLI(t, env, "", append([]string{"unroutable", "--json"}, args...)...)
		var rows []UnroutableText
		if code != 0 || json.Unmarshal([]byte(out), &rows) != nil {
			t.Fatalf("unroutable %v: %d %s%s", args, code, out, errOut)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Body)
		}
		return got
	}
	if got := strings.Join(bodies(), "|"); got != "for next|for turnout|who is this?" {
		t.Fatalf("every campaign's: %s", got)
	}
	if got := strings.Join(bodies("--campaign", "424242"), "|"); got != "for turnout" {
		t.Fatalf("--campaign 424242: %s, want only Turnout's", got)
	}
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", "424242", "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	if got := strings.Join(bodies("--campaign", "camp"), "|"); got != "for turnout" {
		t.Fatalf("--campaign camp (archived, by id): %s, want only Turnout's", got)
	}
	code, out, _ := runCLI(t, env, "", "unroutable", "--campaign", "515151")
	if code != 0 || !strings.Contains(out, "515151 Next") || strings.Contains(out, "for turnout") {
		t.Fatalf("--campaign 515151 (table): %d\n%s", code, out)
	}
	for _, bad := range []string{"424242", "999999", "nosuch"} {
		code, _, errOut := runCLI(t, env, "", "unroutable", "--campaign", bad)
		if code == 0 || !strings.Contains(errOut, "--campaign: no") || !strings.Contains(errOut, "campaign list") {
			t.Errorf("unroutable --campaign %s: exit %d, stderr %q, want a clear error", bad, code, errOut)
		}
	}
}
