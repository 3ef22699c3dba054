package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// seedCampaign puts one organization and campaign (join code 424242) in a
// fresh data directory, as an organizer would have.
func seedCampaign(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	err = st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "org", Name: "Org", CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: "camp", OrganizationID: "org", Name: "Turnout", JoinCode: "424242", Active: true, CreatedAt: now}); err != nil {
			return err
		}
		return tx.AddUnroutable(ctx, store.Unroutable{ID: "u1", ProviderID: "SM1", From: "+12125550101", To: "+12025550100", Body: "who is this?", ReceivedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestNumbersAndUnroutable(t *testing.T) {
	dir := seedCampaign(t)
	env := envOf(map[string]string{"TEXTBANK_DATA": dir})
	run1 := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, &out, &errOut, env)
		return code, out.String(), errOut.String()
	}
	bad := []struct {
		name string
		args []string
		want string
	}{
		{"no campaign", []string{"numbers", "add", "+12025550100"}, "--campaign"},
		{"no number", []string{"numbers", "add", "--campaign", "424242"}, "at least one number"},
		{"not E.164", []string{"numbers", "add", "--campaign", "424242", "2025550100"}, "E.164"},
		{"invalid", []string{"numbers", "add", "--campaign", "424242", "+1202555010"}, "not a valid phone number"},
		{"twice", []string{"numbers", "add", "--campaign", "424242", "+12025550100", "+1 202 555 0100"}, "given twice"},
		{"unknown campaign", []string{"numbers", "add", "--campaign", "999999", "+12025550100"}, "no active campaign"},
		{"bad code", []string{"numbers", "add", "--campaign", "12", "+12025550100"}, "6 digits"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run1(tt.args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want failure naming %q", code, errOut, tt.want)
			}
		})
	}
	if _, out, _ := run1("numbers", "list"); strings.Contains(out, "+1") {
		t.Fatalf("a refused add stored something:\n%s", out)
	}
	if code, _, errOut := run1("numbers", "add", "--campaign", "424242", "+12025550100", "+12025550101"); code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	if code, _, errOut := run1("numbers", "add", "--campaign", "424242", "+12025550102", "+12025550100"); code == 0 || !strings.Contains(errOut, "already a sending number") {
		t.Fatalf("re-adding a number: %d %s", code, errOut)
	}
	code, out, _ := run1("numbers", "list", "--campaign", "424242")
	if code != 0 || strings.Count(out, "+1202555010") != 2 || strings.Contains(out, "+12025550102") || !strings.Contains(out, "424242 Turnout") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	code, out, _ = run1("unroutable")
	if code != 0 || !strings.Contains(out, "who is this?") || !strings.Contains(out, "+12125550101") {
		t.Fatalf("unroutable: %d\n%s", code, out)
	}
}
