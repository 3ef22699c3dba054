package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestNumbersAddTakesOverFromArchived, on both engines: numbers add moves
// a number out of an archived campaign of the same organization and says
// so; a number of an active campaign, or of another organization's, is
// refused with the campaign named, and a refused command changes nothing.
func TestNumbersAddTakesOverFromArchived(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testNumbersTakeOver(t, map[string]string{"TEXTBANK_DATA": t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) {
		testNumbersTakeOver(t, map[string]string{"TEXTBANK_DB": pgtest.URL(t), "TEXTBANK_DATA": t.TempDir()})
	})
}

func testNumbersTakeOver(t *testing.T, env map[string]string) {
	dir := env["TEXTBANK_DATA"]
	cli := func(args ...string) (string, string) {
		t.Helper()
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out, errOut
	}
	refused := func(want string, args ...string) {
		t.Helper()
		before, _ := cli("numbers", "list")
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Fatalf("%v: exit %d\n%s%s\nwant %q", args, code, out, errOut, want)
		}
		if after, _ := cli("numbers", "list"); after != before {
			t.Fatalf("%v was refused but changed the numbers:\n%s\nwas\n%s", args, after, before)
		}
	}
	create := func(file string) string {
		t.Helper()
		out, _ := cli("campaign", "create", file, "--json")
		var res struct{ JoinCode string }
		if json.Unmarshal([]byte(out), &res) != nil {
			t.Fatalf("campaign create --json: %s", out)
		}
		return res.JoinCode
	}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	old := create("../../../examples/campaign.yaml")
	other := create(exampleVariant(t, dir, "other.yaml", "organization: Springfield Votes", "organization: Shelbyville Votes"))
	cli("numbers", "add", "--campaign", old, "+12175550101", "+12175550102")
	cli("numbers", "add", "--campaign", other, "+12175550109")
	// Another organization's: archiving that campaign would not free it,
	// so the refusal does not suggest it.
	refused(`+12175550101 is a sending number of the active campaign `+old+` "Springfield GOTV 2026" of another organization, "Springfield Votes"; nothing was added `+
		`(a number moves only between one organization's campaigns`, "numbers", "add", "--campaign", other, "+12175550101")

	cli("campaign", "archive", old, "--yes")
	next := create(exampleVariant(t, dir, "next.yaml", "name: Springfield GOTV 2026", "name: Springfield GOTV 2028"))
	refused(`+12175550101 is a sending number of the archived campaign `+old+` "Springfield GOTV 2026" of another organization, "Springfield Votes"; nothing was added`,
		"numbers", "add", "--campaign", other, "+12175550101")
	// All or none: the archived campaign's number stays where it was.
	refused(`+12175550109 is a sending number of the active campaign `+other,
		"numbers", "add", "--campaign", next, "+12175550102", "+12175550109")

	out, _ := cli("numbers", "add", "--campaign", next, "+12175550101", "+12175550103", "--json")
	var added AddedNumbers
	if json.Unmarshal([]byte(out), &added) != nil || len(added.Numbers) != 2 || len(added.TakenOver) != 1 ||
		added.TakenOver[0] != (TakenNumber{Phone: "+12175550101", JoinCode: old, Campaign: "Springfield GOTV 2026"}) {
		t.Fatalf("numbers add --json: %s", out)
	}
	out, _ = cli("numbers", "add", "--campaign", next, "+12175550102")
	if !strings.Contains(out, `+12175550102 taken over from archived campaign `+old+` "Springfield GOTV 2026"; its conversations under way keep it`) {
		t.Fatalf("numbers add:\n%s", out)
	}
	out, _ = cli("numbers", "list", "--json")
	var list []NumberListing
	if json.Unmarshal([]byte(out), &list) != nil || len(list) != 4 {
		t.Fatalf("numbers list --json: %s", out)
	}
	for _, n := range list {
		if want := map[bool]string{true: other, false: next}[n.Phone == "+12175550109"]; n.JoinCode != want || n.Archived {
			t.Fatalf("after the take-over %s is in %s, want %s: %+v", n.Phone, n.JoinCode, want, list)
		}
	}
	refused(`+12175550101 is already a sending number of campaign `+next+` "Springfield GOTV 2028"; nothing was added`,
		"numbers", "add", "--campaign", next, "+12175550101")
	// The same organization's active campaign: archiving it frees the number.
	third := create(exampleVariant(t, dir, "third.yaml", "name: Springfield GOTV 2026", "name: Springfield Canvass"))
	refused(`+12175550101 is already a sending number of the active campaign `+next+` "Springfield GOTV 2028"; nothing was added `+
		`(a number can move to another campaign once its campaign is archived, or once it is removed there with numbers remove)`, "numbers", "add", "--campaign", third, "+12175550101")
}
