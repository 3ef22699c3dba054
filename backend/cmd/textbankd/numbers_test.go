package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

func TestNumbersAndUnroutable(t *testing.T) {
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	run1 := func(args ...string) (int, string, string) { return runCLI(t, env, "", args...) }
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
		{"bad code", []string{"numbers", "add", "--campaign", "12", "+12025550100"}, `no campaign has join code or id "12"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run1(tt.args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want failure naming %q", code, errOut, tt.want)
			}
		})
	}
	if _, out, _ := run1("numbers", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("a refused add stored something:\n%s", out)
	}
	if code, out, errOut := run1("numbers", "add", "--campaign", "424242", "+12025550100", "+12025550101"); code != 0 ||
		out != "Added 2 numbers to \"Turnout\": +12025550100, +12025550101\n" {
		t.Fatalf("add: %d %q %s", code, out, errOut)
	}
	if code, _, errOut := run1("numbers", "add", "--campaign", "424242", "+12025550102", "+12025550100"); code == 0 || !strings.Contains(errOut, `+12025550100 is already a sending number of campaign 424242 "Turnout"; nothing was added`) {
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

	// The shared framework: --json, --data must exist, --help lists variables.
	code, out, _ = run1("numbers", "list", "--json")
	var nums []NumberListing
	if err := json.Unmarshal([]byte(out), &nums); code != 0 || err != nil || len(nums) != 2 || nums[0].JoinCode != "424242" {
		t.Fatalf("numbers list --json: %d %v\n%s", code, err, out)
	}
	code, out, _ = run1("numbers", "add", "--json", "--campaign", "424242", "+12025550103")
	var added AddedNumbers
	if err := json.Unmarshal([]byte(out), &added); code != 0 || err != nil || len(added.Numbers) != 1 || added.Numbers[0] != "+12025550103" {
		t.Fatalf("numbers add --json: %d %v\n%s", code, err, out)
	}
	code, out, _ = run1("unroutable", "--json", "--limit", "5")
	var texts []UnroutableText
	if err := json.Unmarshal([]byte(out), &texts); code != 0 || err != nil || len(texts) != 1 || texts[0].Body != "who is this?" {
		t.Fatalf("unroutable --json: %d %v\n%s", code, err, out)
	}
	code, out, _ = run1("numbers", "add", "--json", "--campaign", "999999", "+12025550104")
	var failure map[string]any
	if err := json.Unmarshal([]byte(out), &failure); code != 1 || err != nil || !strings.Contains(fmt.Sprint(failure["error"]), "no active campaign") {
		t.Fatalf("numbers add --json failure: %d %v\n%s", code, err, out)
	}
	if code, _, errOut := run1("unroutable", "--limit", "0"); code != 1 || !strings.Contains(errOut, "textbankd unroutable: --limit") {
		t.Fatalf("unroutable --limit 0: %d %s", code, errOut)
	}
	for _, args := range [][]string{{"numbers", "list"}, {"unroutable"}} {
		missing := filepath.Join(dir, "nope")
		code, _, errOut := run1(append(args, "--data", missing)...)
		if code != 1 || !strings.Contains(errOut, "data directory "+missing+" does not exist") {
			t.Fatalf("%v with a missing --data: %d %s", args, code, errOut)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%v created the missing --data directory", args)
		}
		code, out, errOut = run1(append(args, "--help")...)
		if code != 0 {
			t.Fatalf("%v --help: exit %d %s", args, code, errOut)
		}
		for _, v := range []string{"TEXTBANK_DATA", "TEXTBANK_JSON"} {
			if !strings.Contains(out+errOut, v) {
				t.Fatalf("%v --help does not name %s:\n%s%s", args, v, out, errOut)
			}
		}
	}
}

// TestContactsReleaseCommand: contacts release names what is missing or
// wrong, and says what it did (here nothing: the member took no contacts).
func TestContactsReleaseCommand(t *testing.T) {
	dir := seedCampaign(t)
	seedMembers(t, dir, member{"v1", "Vera", store.RoleVolunteer})
	env := map[string]string{"TEXTBANK_DATA": dir}
	run1 := func(args ...string) (int, string, string) { return runCLI(t, env, "", args...) }
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"contacts", "release", "vera@example.org"}, "--campaign CODE"},
		{[]string{"contacts", "release", "nobody@example.org", "--campaign", "424242"}, "nobody@example.org"},
		{[]string{"contacts", "release", "vera@example.org", "--campaign", "999999"}, "999999"},
	} {
		if code, _, errOut := run1(bad.args...); code == 0 || !strings.Contains(errOut, bad.want) {
			t.Errorf("%v: exit %d, stderr %q; want a refusal naming %q", bad.args, code, errOut, bad.want)
		}
	}
	code, out, errOut := run1("contacts", "release", "vera@example.org", "--campaign", "424242")
	if code != 0 || out != "No unsent contacts of vera@example.org in \"Turnout\" (424242) went back to the pool for other volunteers; their conversations stay theirs.\n" {
		t.Fatalf("release: exit %d, out %q, err %q", code, out, errOut)
	}
	if code, out, _ := run1("contacts", "release", "vera@example.org", "--campaign", "424242", "--json"); code != 0 || !strings.Contains(out, `"released": 0`) {
		t.Fatalf("release --json: exit %d, %q", code, out)
	}
}
