package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/server/store"
)

// TestLatestFromTheEnvironment: --latest has its variable, TEXTBANK_LATEST,
// as export's other flags have theirs (it had none, so a script setting
// the others in the environment had to type this one); a typed --latest
// wins over it, and a value that is not true or false is named.
func TestLatestFromTheEnvironment(t *testing.T) {
	env, code, actionID := organizerWithCampaign(t)
	if exit, out, errOut := runCLI(t, env, "", "contacts", "import", writeFile(t, t.TempDir(), "c.csv", contactcsv.Synthetic(1)), "--action", actionID); exit != 0 {
		t.Fatalf("contacts import: %s %s", out, errOut)
	}
	// Two reports on one conversation: every submission is 2 rows, the
	// latest of each conversation 1.
	withStore(t, env["TEXTBANK_DATA"], func(ctx context.Context, tx store.Tx) error {
		u, err := tx.UserByEmail(ctx, "orla@springfieldvotes.org")
		if err != nil {
			return err
		}
		c, err := tx.CampaignByJoinCode(ctx, code)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		cs, _, err := tx.AssignContacts(ctx, actionID, c.OrganizationID, u.ID, 1, 10, now, nil, nil)
		if err != nil || len(cs) != 1 {
			t.Fatalf("assign: %v %v", cs, err)
		}
		if err := tx.CreateThread(ctx, store.Thread{ID: cs[0].ID, ActionID: actionID, CampaignID: c.ID, OrganizationID: c.OrganizationID,
			OwnerID: u.ID, ContactPhone: cs[0].Phone, LastMessageAt: now, CreatedAt: now}); err != nil {
			return err
		}
		for i, support := range []string{"Strong", "Weak"} {
			if err := tx.CreateReport(ctx, store.Report{ID: "r" + support, ThreadID: cs[0].ID, UserID: u.ID,
				Values: map[string]string{"support": support}, SubmittedAt: now.Add(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	rows := func(env map[string]string, args ...string) int {
		t.Helper()
		exit, out, errOut := runCLI(t, env, "", append([]string{"export", "reports", "--action", actionID}, args...)...)
		if exit != 0 {
			t.Fatalf("export reports %v: exit %d, %s", args, exit, errOut)
		}
		return strings.Count(strings.TrimSpace(out), "\n")
	}
	withEnv := func(v string) map[string]string {
		e := map[string]string{"TEXTBANK_LATEST": v}
		for k, v := range env {
			e[k] = v
		}
		return e
	}
	if n := rows(env); n != 2 {
		t.Fatalf("export reports: %d rows, want both submissions", n)
	}
	if n := rows(withEnv("true")); n != 1 {
		t.Errorf("TEXTBANK_LATEST=true: %d rows, want the latest only", n)
	}
	if n := rows(withEnv("true"), "--latest=false"); n != 2 {
		t.Errorf("TEXTBANK_LATEST=true --latest=false: %d rows, want the flag to win", n)
	}
	if n := rows(withEnv("0"), "--latest"); n != 1 {
		t.Errorf("TEXTBANK_LATEST=0 --latest: %d rows, want the flag to win", n)
	}
	exit, out, errOut := runCLI(t, withEnv("latest"), "", "export", "reports", "--action", actionID)
	if exit != 2 || out != "" || !strings.Contains(errOut, `TEXTBANK_LATEST="latest": want true or false (or 1 or 0)`) {
		t.Errorf("TEXTBANK_LATEST=latest: exit %d, stdout %q, stderr %q; want 2 naming the variable", exit, out, errOut)
	}
}
