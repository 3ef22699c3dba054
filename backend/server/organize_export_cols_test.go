package server_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestExportContactColumnsKeepTheirNames: a custom contact column is
// exported under its own name, or as contact_NAME when a report field has
// that name, so neither hides the other.
func TestExportContactColumnsKeepTheirNames(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	file := strings.Replace(orgFile, "choices: [Strong, Weak]}", "choices: [Strong, Weak]}\n      - {key: precinct, label: Precinct seen, kind: text}", 1)
	res, err := o.CreateCampaign(ctx, parseFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(
		"First Name,Last Name,Cell Phone,Precinct,Ward\nAda,Lovelace,(212) 555-0101,12B,4\n")}); err != nil {
		t.Fatal(err)
	}
	for name, export := range map[string]func(context.Context, string, io.Writer) (int, error){
		"reports": o.ExportReports, "latest reports": o.ExportLatestReports, "messages": o.ExportMessages} {
		var out bytes.Buffer
		if _, err := export(ctx, res.Actions[0].ID, &out); err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(out.String(), "\n")
		want := "contact_precinct,ward,"
		if name == "messages" {
			want = "phone,precinct,ward,direction" // no report field to collide with
		}
		if !strings.Contains(header, want) {
			t.Errorf("%s export header %q, want it to hold %q", name, header, want)
		}
	}
}

// TestExportReportKeysNeverShadowColumns: a report field keyed like a
// fixed column (phone, external_id, volunteer_name) is exported as
// report_KEY, so the header never names two columns alike and a match on
// external_id or phone reads the contact's.
func TestExportReportKeysNeverShadowColumns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	file := strings.Replace(orgFile, "choices: [Strong, Weak]}", "choices: [Strong, Weak]}"+
		"\n      - {key: phone, label: Better phone, kind: text}"+
		"\n      - {key: external_id, label: Their id, kind: text}"+
		"\n      - {key: volunteer_name, label: Who, kind: text}"+
		"\n      - {key: report_phone, label: Another phone, kind: text}", 1)
	res, err := o.CreateCampaign(ctx, parseFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, res.CampaignID, "+12025550199", baseTime) })
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(
		"VANID,First Name,Last Name,Cell Phone\nV1,Ada,Lovelace,(212) 555-0101\n")}); err != nil {
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
	res1, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res1)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: b.Assigned[0].ContactID,
		ReportID: uuid.NewString(), Values: map[string]string{"phone": "call 555-0199", "external_id": "X9",
			"volunteer_name": "Sam", "report_phone": "none"}}))
	for name, export := range map[string]func(context.Context, string, io.Writer) (int, error){
		"reports": o.ExportReports, "latest reports": o.ExportLatestReports} {
		var out bytes.Buffer
		if _, err := export(ctx, actionID, &out); err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(out.String(), "\n")
		seen := map[string]bool{}
		for _, h := range strings.Split(header, ",") {
			if seen[h] {
				t.Fatalf("%s export names %q twice: %s", name, h, header)
			}
			seen[h] = true
		}
		r := readCSV(t, out.String())[0]
		if r["phone"] != "+12125550101" || r["external_id"] != "V1" || r["volunteer_name"] != "vera Volunteer" ||
			r["report_phone"] != "call 555-0199" || r["report_external_id"] != "X9" || r["report_volunteer_name"] != "Sam" ||
			r["report_report_phone"] != "none" {
			t.Fatalf("%s export row %v", name, r)
		}
	}
}

// TestExportContactPrefixTakenToo: with report fields keyed precinct and
// contact_precinct, the contact list's Precinct column is written as
// contact_contact_precinct: no two columns share a name.
func TestExportContactPrefixTakenToo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	file := strings.Replace(orgFile, "choices: [Strong, Weak]}", "choices: [Strong, Weak]}"+
		"\n      - {key: precinct, label: Precinct seen, kind: text}"+
		"\n      - {key: contact_precinct, label: Their precinct, kind: text}", 1)
	res, err := o.CreateCampaign(ctx, parseFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(
		"First Name,Last Name,Cell Phone,Precinct\nAda,Lovelace,(212) 555-0101,12B\n")}); err != nil {
		t.Fatal(err)
	}
	for name, export := range map[string]func(context.Context, string, io.Writer) (int, error){
		"reports": o.ExportReports, "latest reports": o.ExportLatestReports} {
		var out bytes.Buffer
		if _, err := export(ctx, res.Actions[0].ID, &out); err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(out.String(), "\n")
		seen := map[string]bool{}
		for _, h := range strings.Split(header, ",") {
			if seen[h] {
				t.Fatalf("%s export names %q twice: %s", name, h, header)
			}
			seen[h] = true
		}
		if !seen["contact_contact_precinct"] || !seen["precinct"] || !seen["contact_precinct"] {
			t.Fatalf("%s export header %s", name, header)
		}
	}
}

// TestImportOfNothingNewKeepsTheFields: a file whose contacts are all
// loaded already adds none of its extra columns to the action: kept, each
// would be asked of every later file and exported empty for good (the
// organizer's-day audit: a Phone column beside Cell Phone).
func TestImportOfNothingNewKeepsTheFields(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	action := res.Actions[0].ID
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: action, CSV: strings.NewReader(
		"First Name,Last Name,Cell Phone,Ward\nAda,Lovelace,(212) 555-0101,4\n")}); err != nil {
		t.Fatal(err)
	}
	got, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: action, CSV: strings.NewReader(
		"First Name,Last Name,Cell Phone,Phone\nAda,Lovelace,(212) 555-0101,(212) 555-0199\n")})
	if err != nil || got.Imported != 0 || got.AlreadyLoaded != 1 {
		t.Fatalf("second import: %+v, %v; want 1 already loaded", got, err)
	}
	var fields []string
	if err := f.st.View(ctx, func(tx store.Tx) error {
		fields, err = tx.ActionContactFields(ctx, action)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(fields, ",") != "precinct,ward" { // the file's contact_fields, the first import's column
		t.Fatalf("the action's contact fields after an import of nothing new: %v, want [precinct ward]", fields)
	}
}
