package main

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestNumbersRemove, on both engines: numbers remove takes numbers out of
// a campaign's pool and says so, all or none; numbers list marks them; the
// last one removed says volunteers cannot start conversations; numbers add
// puts one back in use, and another campaign of the organization may take
// a removed one over.
func TestNumbersRemove(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testNumbersRemove(t, map[string]string{"TEXTBANK_DATA": t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) {
		testNumbersRemove(t, map[string]string{"TEXTBANK_DB": pgtest.URL(t), "TEXTBANK_DATA": t.TempDir()})
	})
}

func testNumbersRemove(t *testing.T, env map[string]string) {
	dir := env["TEXTBANK_DATA"]
	cli := func(args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	refused := func(want string, args ...string) {
		t.Helper()
		before := cli("numbers", "list")
		code, out, errOut := runCLI(t, env, "", args...)
		if code == 0 || !strings.Contains(errOut, want) {
			t.Fatalf("%v: exit %d\n%s%s\nwant %q", args, code, out, errOut, want)
		}
		if after := cli("numbers", "list"); after != before {
			t.Fatalf("%v was refused but changed the numbers:\n%s\nwas\n%s", args, after, before)
		}
	}
	create := func(file string) string {
		t.Helper()
		var res struct{ JoinCode string }
		if out := cli("campaign", "create", file, "--json"); json.Unmarshal([]byte(out), &res) != nil {
			t.Fatalf("campaign create --json: %s", out)
		}
		return res.JoinCode
	}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	camp := create("../../../examples/campaign.yaml")
	other := create(exampleVariant(t, dir, "canvass.yaml", "name: Springfield GOTV 2026", "name: Springfield Canvass"))
	cli("numbers", "add", "--campaign", camp, "+12175550101", "+12175550102")
	cli("numbers", "add", "--campaign", other, "+12175550109")

	refused("name the campaign with --campaign CODE", "numbers", "remove", "+12175550101")
	refused("name at least one number", "numbers", "remove", "--campaign", camp)
	refused(`"2175550101" is not in E.164`, "numbers", "remove", "--campaign", camp, "2175550101")
	refused("+12175550101 is given twice; nothing was removed", "numbers", "remove", "--campaign", camp, "+12175550101", "+1 217 555 0101")
	refused("+12175550199 is not a sending number of any campaign; nothing was removed",
		"numbers", "remove", "--campaign", camp, "+12175550101", "+12175550199")
	refused(`+12175550109 is a sending number of campaign `+other+` "Springfield Canvass", not of `+camp+` "Springfield GOTV 2026"; nothing was removed`,
		"numbers", "remove", "--campaign", camp, "+12175550101", "+12175550109")

	out := cli("numbers", "remove", "--campaign", camp, "+12175550101")
	if !strings.Contains(out, `Removed 1 number from "Springfield GOTV 2026": +12175550101. Conversations under way keep their number.`) ||
		strings.Contains(out, "no sending number in use") {
		t.Fatalf("numbers remove:\n%s", out)
	}
	refused(`+12175550101 was removed from `+camp+` "Springfield GOTV 2026" already`, "numbers", "remove", "--campaign", camp, "+12175550101")
	if list := cli("numbers", "list", "--campaign", camp); !strings.Contains(list, "+12175550101 (removed)") || strings.Contains(list, "+12175550102 (removed)") ||
		!strings.Contains(list, "LAST TEXT") || !strings.Contains(list, "none yet") {
		t.Fatalf("numbers list:\n%s", list)
	}
	out = cli("numbers", "remove", "--campaign", camp, "+12175550102", "--json")
	var removed struct {
		Numbers []string
		InUse   int
		Moved   []any
	}
	if json.Unmarshal([]byte(out), &removed) != nil || len(removed.Numbers) != 1 || removed.InUse != 0 || removed.Moved == nil {
		t.Fatalf("numbers remove --json: %s", out)
	}
	// Back in use in its own campaign; taken over by another of the organization.
	out = cli("numbers", "add", "--campaign", camp, "+12175550101")
	if !strings.Contains(out, "+12175550101 was removed from this campaign before; it is in use again") {
		t.Fatalf("numbers add of a removed number:\n%s", out)
	}
	out = cli("numbers", "add", "--campaign", other, "+12175550102", "--json")
	var added AddedNumbers
	if json.Unmarshal([]byte(out), &added) != nil || len(added.TakenOver) != 1 ||
		added.TakenOver[0] != (TakenNumber{Phone: "+12175550102", JoinCode: camp, Campaign: "Springfield GOTV 2026", Removed: true}) {
		t.Fatalf("numbers add --json of another campaign's removed number: %s", out)
	}
	var list []NumberListing
	if out := cli("numbers", "list", "--json"); json.Unmarshal([]byte(out), &list) != nil || len(list) != 3 {
		t.Fatalf("numbers list --json: %s", out)
	}
	for _, n := range list {
		if n.Removed || n.LastText != nil {
			t.Fatalf("after adding them back, %s is still removed, or has a text none sent: %+v", n.Phone, list)
		}
	}
	out = cli("numbers", "remove", "--campaign", camp, "+12175550101")
	if !strings.Contains(out, "The campaign has no sending number in use: its volunteers cannot start conversations until textbankd numbers add --campaign "+camp) {
		t.Fatalf("numbers remove of the last one:\n%s", out)
	}

	// A number another active campaign removed, taken over: the output
	// says it had been removed there (mostly for a carrier's flag).
	cli("numbers", "remove", "--campaign", other, "+12175550109")
	out = cli("numbers", "add", "--campaign", camp, "+12175550109")
	if !strings.Contains(out, "+12175550109 taken over from campaign "+other+` "Springfield Canvass", which had removed it (numbers remove): if a carrier flagged it`) {
		t.Fatalf("numbers add of a number another campaign removed:\n%s", out)
	}
	// The store named by a flag rather than the environment: the hint to
	// add a number names it too, as run it must be.
	flagEnv := maps.Clone(env)
	var where []string
	if db := env["TEXTBANK_DB"]; db != "" {
		delete(flagEnv, "TEXTBANK_DB")
		where = []string{"--db", db}
	} else {
		delete(flagEnv, "TEXTBANK_DATA")
		where = []string{"--data", dir}
	}
	code, out, errOut := runCLI(t, flagEnv, "", append([]string{"numbers", "remove", "--campaign", camp, "+12175550109"}, where...)...)
	if code != 0 || !strings.Contains(out, "until textbankd numbers add "+where[0]+" '") {
		t.Fatalf("numbers remove %v: exit %d\n%s%s", where, code, out, errOut)
	}
	// An archived campaign's numbers stay as they are.
	cli("campaign", "archive", other, "--yes")
	refused("no active campaign has join code "+other, "numbers", "remove", "--campaign", other, "+12175550102")
	refused(`+12175550102 is a sending number of campaign `+other+` "Springfield Canvass" (archived), not of `+camp,
		"numbers", "remove", "--campaign", camp, "+12175550102")
}

// TestNumbersListSaysTheLastText: numbers list says when a conversation
// on each number last had a text (to tell when a removed number can be
// given up at the provider), and "none yet" for a number with none.
func TestNumbersListSaysTheLastText(t *testing.T) {
	dir := seedCampaign(t)
	at := time.Date(2026, 3, 10, 16, 5, 0, 0, time.UTC)
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, store.User{ID: "v1", Name: "Vera", Email: "vera@example.org", PasswordHash: "h", CreatedAt: at}),
			tx.CreateAction(ctx, store.Action{ID: "a1", CampaignID: "camp", Type: "p2p", Title: "GOTV", CreatorID: "v1", CreatedAt: at}),
			tx.AddSendingNumber(ctx, "camp", "+12025550100", at),
			tx.AddSendingNumber(ctx, "camp", "+12025550101", at),
			tx.CreateContact(ctx, store.Contact{ID: "k1", ActionID: "a1", Phone: "+12125550101", CreatedAt: at}),
			tx.CreateThread(ctx, store.Thread{ID: "k1", ActionID: "a1", CampaignID: "camp", OrganizationID: "org", OwnerID: "v1",
				ContactPhone: "+12125550101", SendingNumber: "+12025550100", LastMessageAt: at, CreatedAt: at}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	env := map[string]string{"TEXTBANK_DATA": dir}
	code, out, errOut := runCLI(t, env, "", "numbers", "list")
	if code != 0 || !regexpLine(out, `\+12025550100 +0 +2026-03-10 16:05 UTC +424242 Turnout`) || !regexpLine(out, `\+12025550101 +0 +none yet +424242 Turnout`) {
		t.Fatalf("numbers list: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "numbers", "list", "--json")
	var list []NumberListing
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 2 || list[0].LastText == nil || !list[0].LastText.Equal(at) || list[1].LastText != nil {
		t.Fatalf("numbers list --json: exit %d\n%s%s", code, out, errOut)
	}
}

// regexpLine says whether a line of out matches pattern whole.
func regexpLine(out, pattern string) bool {
	return regexp.MustCompile(`(?m)^` + pattern + `$`).MatchString(out)
}
