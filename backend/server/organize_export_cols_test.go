package server_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
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
