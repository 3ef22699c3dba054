package main

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestExportOptOutsSaysTheSource: export opt-outs says where each opt-out
// came from (report, contact, block, import; empty for one recorded before
// sources were), so an organizer reads which an admin may undo (a
// report's) without opening each conversation.
func TestExportOptOutsSaysTheSource(t *testing.T) {
	env, _, _ := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	list := writeFile(t, dir, "old.csv", "phone\n2125550101\n")
	if code, out, errOut := runCLI(t, env, "", "opt-outs", "import", list, "--org", "Springfield Votes"); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		org, err := tx.OrganizationByName(ctx, "Springfield Votes")
		if err != nil {
			return err
		}
		for phone, src := range map[string]string{"+12125550102": store.OptOutReported, "+12125550103": store.OptOutContact,
			"+12125550104": store.OptOutBlocked, "+12125550105": ""} {
			if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: org.ID, Phone: phone, Reason: "why " + src, Source: src, CreatedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	code, out, errOut := runCLI(t, env, "", "export", "opt-outs", "--org", "Springfield Votes")
	if code != 0 {
		t.Fatalf("export opt-outs: %d %s %s", code, out, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[0], ","), "organization,phone,reason,source,source_message_id,opted_out_at"; got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[1]] = r[3]
	}
	want := map[string]string{"+12125550101": "import", "+12125550102": "report", "+12125550103": "contact", "+12125550104": "block", "+12125550105": ""}
	for phone, src := range want {
		if s, ok := got[phone]; !ok || s != src {
			t.Errorf("source of %s: %q (listed %v), want %q", phone, s, ok, src)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d opt-outs exported, want %d:\n%s", len(got), len(want), out)
	}
}
