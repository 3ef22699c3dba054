package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestOptOutsUndo: opt-outs undo lifts an opt-out a report filed, in the
// name of an admin of the organization's campaign (--json says which and
// for whom; export opt-out-lifts lists it with no START). It refuses, with
// nothing changed, an import's opt-out, a number not opted out, and
// without --by, an unknown account or one that is no admin there.
func TestOptOutsUndo(t *testing.T) {
	env, _, _ := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	list := writeFile(t, dir, "old.csv", "phone\n2125550101\n")
	if code, out, errOut := runCLI(t, env, "", "opt-outs", "import", list, "--org", "Springfield Votes"); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		org, err := tx.OrganizationByName(ctx, "Springfield Votes")
		if err != nil {
			return err
		}
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: org.ID, Phone: "+12125550102", Reason: "reported by volunteer",
			Source: store.OptOutReported, CreatedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)})
	})
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "val@springfieldvotes.org", "--name", "Val"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	before := strings.Join(exportedOptOuts(t, env), "\n")
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"an import's", []string{"2125550101", "--by", "orla@springfieldvotes.org"},
			"+12125550101 was not opted out by a report alone (imported from old.csv): only the contact's START lifts it, with Opt Back In (Springfield Votes); nothing was changed"},
		{"not opted out", []string{"2125550199", "--by", "orla@springfieldvotes.org"}, "+12125550199 is not opted out now (it never was, or its opt-out was lifted since): nothing to undo"},
		{"no --by", []string{"2125550102"}, "name the admin it is done for with --by EMAIL"},
		{"unknown --by", []string{"2125550102", "--by", "nobody@example.org"}, "--by: no account has the email nobody@example.org"},
		{"not an admin", []string{"2125550102", "--by", "val@springfieldvotes.org"},
			"--by: val@springfieldvotes.org is not an admin of any campaign of Springfield Votes"},
		// The number named once: it read `"12" is not a phone number ("12" is not a valid phone number: too short)`.
		{"not a number", []string{"call me", "--by", "orla@springfieldvotes.org"}, `opt-outs undo: "call me" is not a valid phone number`},
		{"too short", []string{"12", "--by", "orla@springfieldvotes.org"}, `opt-outs undo: "12" is not a valid phone number: too short; nothing was changed`},
	} {
		args := append([]string{"opt-outs", "undo", "--org", "Springfield Votes"}, tt.args...)
		if code, out, errOut := runCLI(t, env, "", args...); code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: %d %s%s, want a failure saying %q", tt.name, code, out, errOut, tt.want)
		}
	}
	if after := strings.Join(exportedOptOuts(t, env), "\n"); after != before {
		t.Fatalf("opt-outs after the refusals:\n%s\nwant\n%s", after, before)
	}

	code, out, errOut := runCLI(t, env, "", "opt-outs", "undo", "(212) 555-0102", "--org", "Springfield Votes", "--by", "orla@springfieldvotes.org", "--json")
	var res struct{ Phone, Reason, LiftedBy, LiftedByEmail, Organization string }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Phone != "+12125550102" || res.Reason != "reported by volunteer" ||
		res.LiftedByEmail != "orla@springfieldvotes.org" || res.LiftedBy != "Orla" || res.Organization != "Springfield Votes" {
		t.Fatalf("undo --json: %d %s %s", code, out, errOut)
	}
	if got := exportedOptOuts(t, env); len(got) != 1 || !strings.HasPrefix(got[0], "+12125550101 ") {
		t.Fatalf("opt-outs after the undo %q, want the import's alone", got)
	}
	_, out, _ = runCLI(t, env, "", "export", "opt-out-lifts", "--org", "Springfield Votes")
	if !strings.Contains(out, "+12125550102,reported by volunteer,2026-03-01T12:00:00Z,,,,") || !strings.Contains(out, ",Orla,orla@springfieldvotes.org") {
		t.Fatalf("export opt-out-lifts after the undo:\n%s", out)
	}
	code, out, errOut = runCLI(t, env, "", "opt-outs", "undo", "2125550102", "--org", "Springfield Votes", "--by", "orla@springfieldvotes.org")
	if code == 0 || !strings.Contains(errOut, "+12125550102 is not opted out") {
		t.Fatalf("undo again: %d %s %s", code, out, errOut)
	}
}
