package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestUnroutableHandleAndReopen: the list shows each text's ID; handle
// marks that text handled from the command line (no account recorded),
// which the list then says; reopen marks it open again; doing either twice
// changes nothing.
func TestUnroutableHandleAndReopen(t *testing.T) {
	dir := seedCampaign(t) // u1: "who is this?", kept with no campaign
	env := map[string]string{"TEXTBANK_DATA": dir}
	addUnroutable(t, dir, store.Unroutable{ID: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", ProviderID: "SM2", From: "+12125550102",
		To: "+12025550100", Body: "for turnout", ReceivedAt: time.Now().UTC().Add(time.Second), CampaignID: "camp"})
	const id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	code, out, errOut := runCLI(t, env, "", "unroutable")
	flat := strings.Join(strings.Fields(out), " ")
	if code != 0 || !strings.HasPrefix(flat, "ID RECEIVED") || !strings.Contains(flat, id+" ") || !strings.Contains(flat, "u1 ") {
		t.Fatalf("unroutable: %d\n%s%s\nwant each text's ID", code, out, errOut)
	}

	before := time.Now().UTC().Add(-time.Second)
	code, out, errOut = runCLI(t, env, "", "unroutable", "handle", id, "--campaign", "424242")
	if code != 0 || !strings.Contains(out, "The text from +12125550102 to +12025550100 is marked handled (from the command line") {
		t.Fatalf("unroutable handle: %d\n%s%s", code, out, errOut)
	}
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		u, err := tx.UnroutableByID(ctx, id)
		if err == nil && (u.Handled.By != "" || u.Handled.At.Before(before)) {
			t.Errorf("after handle: %+v, want handled now by no account", u)
		}
		return err
	})
	code, out, _ = runCLI(t, env, "", "unroutable")
	if flat := strings.Join(strings.Fields(out), " "); code != 0 || !strings.Contains(flat, " UTC from the command line for turnout") {
		t.Fatalf("unroutable after handle: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, env, "", "unroutable", "--json")
	var rows []UnroutableText
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("unroutable --json: %d %s", code, out)
	}
	if r := rows[0]; r.ID != id || r.HandledAt == "" || r.HandledBy != "" || !r.HandledFromCommandLine {
		t.Errorf("--json row %+v, want handled from the command line", r)
	}
	if r := rows[1]; r.ID != "u1" || r.HandledAt != "" || r.HandledFromCommandLine {
		t.Errorf("--json row %+v, want u1 open", r)
	}
	code, out, _ = runCLI(t, env, "", "unroutable", "handle", id)
	if code != 0 || !strings.Contains(out, "was already marked handled") || !strings.Contains(out, "unchanged") {
		t.Fatalf("handle twice: %d %s", code, out)
	}

	code, out, errOut = runCLI(t, env, "", "unroutable", "reopen", id, "--json")
	var row UnroutableText
	if code != 0 || json.Unmarshal([]byte(out), &row) != nil || row.ID != id || row.HandledAt != "" || row.HandledFromCommandLine {
		t.Fatalf("unroutable reopen --json: %d %s%s, want the text open", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "unroutable", "reopen", id)
	if code != 0 || !strings.Contains(out, "was not marked handled; unchanged") {
		t.Fatalf("reopen twice: %d %s", code, out)
	}
	// A text marked by an admin in the app is opened again from here too.
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "olive", Name: "Olive Organizer", Email: "olive@example.org", PasswordHash: "h", CreatedAt: before}); err != nil {
			return err
		}
		return tx.SetMarked(ctx, store.UnroutableMarks, "u1", true, "olive", before)
	})
	if code, out, errOut := runCLI(t, env, "", "unroutable", "reopen", "u1"); code != 0 || !strings.Contains(out, "is open again") {
		t.Fatalf("reopen an admin's mark: %d %s%s", code, out, errOut)
	}
}

// TestUnroutableHandleRefusals: an unknown ID, a malformed one, a text of
// another campaign than --campaign names, an unknown campaign, a missing or
// extra argument: each refused with what was wrong, nothing changed.
func TestUnroutableHandleRefusals(t *testing.T) {
	dir := seedCampaign(t) // Turnout 424242; u1 kept with no campaign
	env := map[string]string{"TEXTBANK_DATA": dir}
	addCampaign(t, dir, store.Campaign{ID: "camp2", OrganizationID: "org", Name: "Next", JoinCode: "515151", Active: true,
		CreatedAt: time.Now().UTC()})
	addUnroutable(t, dir, store.Unroutable{ID: "u2", ProviderID: "SM2", From: "+12125550102", To: "+12025550100",
		Body: "for turnout", ReceivedAt: time.Now().UTC(), CampaignID: "camp"})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown id", []string{"handle", "0193a1b2-0000-7000-8000-000000000000"}, "no unroutable text has ID 0193a1b2-0000-7000-8000-000000000000"},
		{"unknown id, reopen", []string{"reopen", "nosuch"}, "no unroutable text has ID nosuch"},
		{"malformed id", []string{"handle", "u2'; --"}, `"u2'; --" is not a text's ID`},
		{"id with a space", []string{"handle", "u 2"}, `"u 2" is not a text's ID`},
		{"blank id", []string{"handle", " "}, "give the text's ID"},
		{"too long an id", []string{"handle", strings.Repeat("a", 101)}, "101 characters long"},
		{"another campaign's text", []string{"handle", "u2", "--campaign", "515151"}, "the text u2 is not kept with campaign 515151 Next"},
		{"a text of no campaign", []string{"handle", "u1", "--campaign", "424242"}, "the text u1 is not kept with campaign 424242 Turnout"},
		{"unknown campaign", []string{"handle", "u2", "--campaign", "999999"}, "--campaign: no active campaign has join code 999999"},
		{"no id", []string{"handle"}, "want ID, got 0 arguments"},
		{"two ids", []string{"reopen", "u1", "u2"}, "want ID, got 2 arguments"},
		{"unknown subcommand", []string{"close", "u2"}, `unknown subcommand "close"`},
	} {
		code, out, errOut := runCLI(t, env, "", append([]string{"unroutable"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: unroutable %q: exit %d, stdout %q, stderr %q; want a refusal naming %q", tc.name, tc.args, code, out, errOut, tc.want)
		}
	}
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		for _, id := range []string{"u1", "u2"} {
			if u, err := tx.UnroutableByID(ctx, id); err != nil || !u.Handled.At.IsZero() {
				t.Errorf("%s after the refusals: %+v %v, want it open", id, u, err)
			}
		}
		return nil
	})
	// --json reports a refusal as JSON, with a non-zero exit.
	code, out, _ := runCLI(t, env, "", "unroutable", "handle", "nosuch", "--json")
	var e struct{ Error string }
	if code == 0 || json.Unmarshal([]byte(out), &e) != nil || !strings.Contains(e.Error, "no unroutable text has ID nosuch") {
		t.Errorf("handle --json of an unknown id: exit %d, %s", code, out)
	}
	// Help lists the list and both marks.
	code, out, _ = runCLI(t, env, "", "unroutable", "--help")
	if code != 0 || !strings.Contains(out, "textbankd unroutable handle ID") || !strings.Contains(out, "textbankd unroutable reopen ID") ||
		!strings.Contains(out, "-limit") {
		t.Errorf("unroutable --help: %d\n%s", code, out)
	}
}
