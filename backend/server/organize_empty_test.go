package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// emptyFile's second initial script alone needs {polling_place}, and its
// response script {last_name}: any contact may draw the one and be sent
// the other, so a row lacking either is refused.
const emptyFile = `
organization: Test Org
campaign: {name: Empty Fields, join_code: "777779", admins: [admin@example.org]}
actions:
  - title: GOTV
    contact_fields: [polling_place]
    scripts:
      - "Hi {first_name|there}. Will you vote?"
      - "Hi {first_name|there}, you vote at {polling_place}."
    response_scripts:
      - {id: thanks, label: Thanks, body: "Thanks, {first_name|friend} {last_name}!"}
`

// TestImportCountsEmptyFields: rows refused or skipped for an empty merge
// field a script needs are counted per field (a row lacking two under
// each), with the scripts that need it and what to do, in the refusal and
// in --skip-invalid's result; the refusal stores nothing.
func TestImportCountsEmptyFields(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, emptyFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	count := func() int {
		var n int
		f.view(func(tx store.Tx) error {
			var err error
			n, err = tx.CountContacts(ctx, actionID)
			return err
		})
		return n
	}
	src := "first,last,cell,Polling Place\n" +
		"Ada,Lee,2125550101,Library\n" +
		"Bob,Byte,2125550102,\n" +
		"Cy,,2125550103,\n" +
		"Dee,Eck,2125550104,\n" +
		"Eve,,2125550105,School\n"
	_, err = o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(src)})
	var ie *server.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 4 {
		t.Fatalf("err = %v", err)
	}
	wantPlace := "{polling_place} empty on 3 rows: initial script 2 uses {polling_place} without a fallback, and any contact may get it; " +
		"fill {polling_place} in on those rows and import the file again, or give it a fallback ({polling_place|...}) in that script with campaign update"
	wantLast := "{last_name} empty on 2 rows: response script \"thanks\" uses {last_name} without a fallback, and any contact may get it; " +
		"fill {last_name} in on those rows and import the file again, or give it a fallback ({last_name|...}) in that script with campaign update"
	for _, want := range []string{
		"4 rows are not valid; nothing was imported (fix them, or pass --skip-invalid to import the rest)\n  " + wantPlace + "\n  " + wantLast + "\n  line 3,",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal lacks %q:\n%v", want, err)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("a refused file stored %d contacts", n)
	}

	imp, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(src), SkipInvalid: true})
	if err != nil || imp.Imported != 1 || imp.Invalid != 4 || len(imp.EmptyFields) != 2 {
		t.Fatalf("skip invalid: %+v %v", imp, err)
	}
	place, last := imp.EmptyFields[0], imp.EmptyFields[1]
	if place.Field != "polling_place" || place.Rows != 3 || strings.Join(place.Scripts, ";") != "initial script 2" ||
		last.Field != "last_name" || last.Rows != 2 || strings.Join(last.Scripts, ";") != `response script "thanks"` {
		t.Fatalf("empty fields %+v", imp.EmptyFields)
	}
	if got := place.Summary() + ": " + place.Advice(); got != wantPlace {
		t.Fatalf("words\n got %s\nwant %s", got, wantPlace)
	}

	// A file with every value filled has nothing to count: [] in --json.
	ok, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader("first,last,cell,Polling Place\nFay,Fox,2125550106,Hall\n")})
	if err != nil || ok.EmptyFields == nil || len(ok.EmptyFields) != 0 {
		t.Fatalf("clean file: %+v %v", ok, err)
	}
}
