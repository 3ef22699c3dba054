package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// TestStatsNamesADroppedScript: contacts of a script the campaign file no
// longer has keep a row of their own, counted in the total, and the
// script's line says it is gone rather than printing an empty text. With
// nothing sent yet the rates are "-", not 0.0%, and a line says why.
func TestStatsNamesADroppedScript(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(env["TEXTBANK_DATA"], demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		a, err := tx.ActionByID(ctx, actionID)
		if err != nil {
			return err
		}
		if err := tx.CreateContact(ctx, store.Contact{ID: "late", ActionID: actionID, FirstName: "Lee", Phone: "+12125559876",
			Fields: map[string]string{}, ScriptIndex: len(a.Scripts), CreatedAt: time.Now().UTC()}); err != nil {
			return err
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, env, "", "stats", "--action", actionID)
	if code != 0 {
		t.Fatalf("stats: %d %s %s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, ": no longer in the action") {
		t.Errorf("stats' last line %q, want the dropped script said gone\n%s", last, out)
	}
	// What the reports say follows, in a table of its own: reported, then
	// each tag field of the campaign file, its number field's sum and its
	// text field's answers; then a table for the choice field, a column
	// per choice. Each table fits a terminal: one table of every column
	// ran to 280 characters, and a terminal wrapped each row into the next.
	if !regexp.MustCompile(`(?m)^\s*SCRIPT\s+REPORTED\s+WILL VOTE\s+NEEDS A RIDE\s+VOTERS IN HOUSEHOLD: SUM \(ANSWERED\)\s+BEST TIME TO CALL: ANSWERED\s*$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^\s*all\s+0\s+0\s+0\s+0 \(0\)\s+0\s*$`).MatchString(out) {
		t.Errorf("stats want REPORTED and the tags' columns, 0 each:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^Support, each conversation's latest answer:\n\s*SCRIPT\s+STRONG SUPPORTER\s+LEANING SUPPORTER\s+UNDECIDED\s+LEANING AGAINST\s+STRONGLY AGAINST\s*\n(.*\n){3}\s*all(\s+0){5}\s*$`).MatchString(out) {
		t.Errorf("stats want the choice field's table, a column per choice, 0 each:\n%s", out)
	}
	for _, line := range lines[:len(lines)-3] { // the scripts' own texts are as long as they are
		if len(line) > 120 {
			t.Errorf("stats printed a line of %d characters, past a terminal's width: %q", len(line), line)
		}
	}
	// Nothing sent yet: no rate over zero texts, and words that say why.
	if !regexp.MustCompile(`(?m)^\s*all\s+1\s+0\s+0\s+0\s+0\s+-\s+0\s+-\s*$`).MatchString(out) ||
		!strings.Contains(out, "No texts sent yet: the rates show once some are.\n") || strings.Contains(out, "0.0%") {
		t.Errorf("stats before any text is sent want - for the rates and say why:\n%s", out)
	}
	// --json says no rate (null) where the table shows '-': a 0 read as
	// texts sent that nobody answered.
	jcode, jout, jerr := runCLI(t, env, "", "stats", "--action", actionID, "--json")
	var js struct {
		Scripts []map[string]any
		Total   map[string]any
	}
	if jcode != 0 || json.Unmarshal([]byte(jout), &js) != nil || len(js.Scripts) == 0 {
		t.Fatalf("stats --json: %d %s %s", jcode, jout, jerr)
	}
	for _, r := range append(js.Scripts, js.Total) {
		for _, k := range []string{"replyRate", "optOutRate"} {
			if v, ok := r[k]; !ok || v != nil {
				t.Errorf("stats --json before any text is sent: %s %v (present %v), want null\n%s", k, v, ok, jout)
			}
		}
	}
	if !regexp.MustCompile(`(?m)^\s*3\s+1\s`).MatchString(out) || !regexp.MustCompile(`(?m)^\s*all\s+1\s`).MatchString(out) {
		t.Errorf("stats want script 3's one contact in its row and in the total:\n%s", out)
	}
}
