package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
)

// TestImportCountsRecasedNamesStored: the names-in-capitals count is of
// contacts the import stores. Importing a file again said "1 written as
// names" beside "Imported 0 contacts".
func TestImportCountsRecasedNamesStored(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	src := "first,last,cell\nIDA,WELLS,2125550101\nAda,Lovelace,2125550102\n"
	imp := func() server.ImportResult {
		t.Helper()
		r, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(src)})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if first := imp(); first.Imported != 2 || first.Recased != 1 || first.RecasedExample != "line 2: IDA WELLS is Ida Wells" {
		t.Fatalf("first import: %d imported, %d recased (%q)", first.Imported, first.Recased, first.RecasedExample)
	}
	if again := imp(); again.Imported != 0 || again.Recased != 0 || again.RecasedExample != "" {
		t.Fatalf("the same file again: %d imported, %d recased (%q)", again.Imported, again.Recased, again.RecasedExample)
	}
}
