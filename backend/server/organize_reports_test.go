package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestCampaignUpdateKeepsFiledReportsValid: once reports are filed, an
// update may not change a report field so that they no longer fit it (a
// tag made a number, a choice they hold taken out) nor leave out a field
// they hold answers for (export reports would drop the column); nothing is
// changed. Adding a choice or a field is fine.
func TestCampaignUpdateKeepsFiledReportsValid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, res.CampaignID, "+12025550199", baseTime) })
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID,
		CSV: strings.NewReader("First Name,Last Name,Cell Phone,Precinct\nAda,Lovelace,2125550101,12B\n")}); err != nil {
		t.Fatal(err)
	}
	c, _ := f.user("vera")
	if _, err := c.Join(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	b, err := c.Batch(ctx, actionID)
	if err != nil || len(b.Assigned) != 1 {
		t.Fatalf("batch %+v %v", b, err)
	}
	ada := b.Assigned[0].ContactID
	res0, _ := sendInitial(t, c, ada)
	wantApplied(t, res0)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: ada, ReportID: uuid.NewString(),
		Values: map[string]string{"will_vote": "true", "support": "Strong"}}))

	const tag = "{key: will_vote, label: Will vote, kind: tag}"
	const choice = "{key: support, label: Support, kind: choice, choices: [Strong, Weak]}"
	tests := []struct {
		name, old, new, want string
	}{
		{"tag made a number", tag, "{key: will_vote, label: Will vote, kind: number}",
			`actions[0].report_fields[0] (line 11): 1 filed report(s) would no longer fit it (Will vote must be a number, not "true")`},
		{"a choice in use taken out", choice, "{key: support, label: Support, kind: choice, choices: [Weak, Maybe]}",
			`actions[0].report_fields[1] (line 12): 1 filed report(s) would no longer fit it ("Strong" is not one of the choices for Support)`},
		{"a field with answers left out", "      - " + choice + "\n", "",
			`actions[0].report_fields (line 10): 1 filed report(s) hold answers for "support", which the file leaves out`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := o.UpdateCampaign(ctx, parseFile(t, strings.Replace(orgFile, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			f.view(func(tx store.Tx) error {
				a, err := tx.ActionByID(ctx, actionID)
				if err != nil || len(a.ReportFields) != 2 || a.ReportFields[0].Kind != "tag" || len(a.ReportFields[1].Choices) != 2 {
					t.Fatalf("a refused update changed the report fields: %+v %v", a.ReportFields, err)
				}
				return nil
			})
		})
	}
	grown := strings.Replace(orgFile, "choices: [Strong, Weak]}", "choices: [Strong, Weak, Maybe]}\n      - {key: note2, label: More, kind: text}", 1)
	if _, err := o.UpdateCampaign(ctx, parseFile(t, grown)); err != nil {
		t.Fatalf("adding a choice and a field: %v", err)
	}
}
