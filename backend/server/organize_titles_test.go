package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestCampaignUpdateActionTitles: a campaign update matches the file's
// actions by id first, then by title among the rest, so renaming an action
// by its id and adding a new one with its old title does both; and it never
// leaves two actions with one title, since titles name actions on the
// command line (contacts import --action-title).
func TestCampaignUpdateActionTitles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	two := orgFile + "  - title: Follow-up\n    scripts: [\"Thanks {first_name|friend}\"]\n"
	res, err := o.CreateCampaign(ctx, parseFile(t, two))
	if err != nil {
		t.Fatal(err)
	}
	gotv, follow := res.Actions[0].ID, res.Actions[1].ID
	titles := func() map[string]string {
		out := map[string]string{}
		f.view(func(tx store.Tx) error {
			as, err := tx.ActionsByCampaign(ctx, res.CampaignID)
			for _, a := range as {
				out[a.ID] = a.Title
			}
			return err
		})
		return out
	}

	// Renaming Follow-up onto GOTV, which the file leaves out: refused,
	// naming the line, and nothing changes.
	clash := strings.Replace(orgFile, "  - title: GOTV\n", "  - id: "+follow+"\n    title: gotv \n", 1)
	_, err = o.UpdateCampaign(ctx, parseFile(t, clash))
	if err == nil || !strings.Contains(err.Error(), `actions[0].title (line 6): "gotv" is the title of the campaign's action `+gotv) {
		t.Fatalf("rename onto a left-out action's title: %v", err)
	}
	if got := titles(); got[gotv] != "GOTV" || got[follow] != "Follow-up" || len(got) != 2 {
		t.Fatalf("a refused update changed the titles: %v", got)
	}

	// Rename GOTV by its id to "Persuasion" and add a new action titled
	// GOTV: GOTV's contacts stay with the renamed action, a new one is made.
	renamed := strings.Replace(two, "  - title: GOTV\n", "  - id: "+gotv+"\n    title: Persuasion\n", 1)
	renamed += "  - title: GOTV\n    scripts: [\"Hi again {first_name|friend}\"]\n"
	up, err := o.UpdateCampaign(ctx, parseFile(t, renamed))
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Actions) != 3 || up.Actions[0].ID != gotv || up.Actions[0].Status != "updated" ||
		up.Actions[1].ID != follow || up.Actions[2].Status != "created" {
		t.Fatalf("update outcome %+v", up.Actions)
	}
	got := titles()
	if got[gotv] != "Persuasion" || got[follow] != "Follow-up" || got[up.Actions[2].ID] != "GOTV" || len(got) != 3 {
		t.Fatalf("titles after the rename %v", got)
	}
}

// TestImportByAmbiguousTitleRefused: two actions with one title (only a
// server before the rule could make them) are never guessed between.
func TestImportByAmbiguousTitleRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	two := orgFile + "  - title: Follow-up\n    scripts: [\"Thanks {first_name|friend}\"]\n"
	res, err := o.CreateCampaign(ctx, parseFile(t, two))
	if err != nil {
		t.Fatal(err)
	}
	f.update(func(tx store.Tx) error {
		a, err := tx.ActionByID(ctx, res.Actions[1].ID)
		if err != nil {
			return err
		}
		a.Title = "GOTV"
		return tx.UpdateAction(ctx, a)
	})
	_, err = o.ImportContacts(ctx, server.ImportRequest{CampaignCode: "777777", ActionTitle: "GOTV",
		CSV: strings.NewReader("first,last,cell\nA,B,2125550101\n")})
	if err == nil || !strings.Contains(err.Error(), `has 2 actions titled "GOTV"; name one with --action`) {
		t.Fatalf("import by a shared title: %v", err)
	}
	f.view(func(tx store.Tx) error {
		for _, a := range res.Actions {
			if n, err := tx.CountContacts(ctx, a.ID); err != nil || n != 0 {
				t.Fatalf("action %s has %d contacts (%v)", a.ID, n, err)
			}
		}
		return nil
	})
}
