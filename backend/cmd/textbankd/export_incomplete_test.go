package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// TestExportFailingPartwayOnStdout: export reports to stdout whose database
// fails after some rows leaves those rows whole on stdout and says on
// stderr that the CSV there is incomplete and how many rows it holds,
// exiting 1; to --out the same failure leaves yesterday's file as it was.
func TestExportFailingPartwayOnStdout(t *testing.T) {
	env, code, actionID := organizerWithCampaign(t)
	data := env["TEXTBANK_DATA"]
	if exit, out, errOut := runCLI(t, env, "", "contacts", "import", writeFile(t, t.TempDir(), "c.csv", contactcsv.Synthetic(3)), "--action", actionID); exit != 0 {
		t.Fatalf("contacts import: %s %s", out, errOut)
	}
	withStore(t, data, func(ctx context.Context, tx store.Tx) error {
		u, err := tx.UserByEmail(ctx, "orla@springfieldvotes.org")
		if err != nil {
			return err
		}
		c, err := tx.CampaignByJoinCode(ctx, code)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		cs, _, err := tx.AssignContacts(ctx, actionID, c.OrganizationID, u.ID, 3, 10, now, nil, nil)
		if err != nil || len(cs) != 3 {
			t.Fatalf("assign: %v %v", cs, err)
		}
		for i, ct := range cs {
			if err := tx.CreateThread(ctx, store.Thread{ID: ct.ID, ActionID: actionID, CampaignID: c.ID, OrganizationID: c.OrganizationID,
				OwnerID: u.ID, ContactPhone: ct.Phone, LastMessageAt: now, CreatedAt: now}); err != nil {
				return err
			}
			if err := tx.CreateReport(ctx, store.Report{ID: fmt.Sprint("r", i), ThreadID: ct.ID, UserID: u.ID,
				Values: map[string]string{"support": "Strong"}, SubmittedAt: now.Add(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	failing := failingReports{Store: st, after: 2}
	org, err := server.NewOrganizer(server.OrganizerConfig{Store: failing, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	var cmd command
	for _, c := range exportCommands() {
		if c.name == "export reports" {
			cmd = c
		}
	}
	export := func(opts cliOpts) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		c := &cli{opts: opts, stdout: &out, stderr: &errOut, org: org, st: failing}
		return c.finish(cmd, cmd.run(ctx, c, nil)), out.String(), errOut.String()
	}

	exit, out, errOut := export(cliOpts{action: actionID})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if exit != 1 || len(lines) != 3 || !strings.HasPrefix(lines[0], "report_id,") || !strings.HasSuffix(out, "\n") {
		t.Fatalf("export reports failing after 2 rows: exit %d, stdout %q; want 1, the header and 2 whole rows", exit, out)
	}
	want := "textbankd export reports: the CSV on stdout is incomplete: it stops after its header and 2 rows, where the export failed; " +
		"do not use it (export again, or with --out FILE, which is written whole or not at all): " + errDatabaseGone.Error() + "\n"
	if errOut != want {
		t.Fatalf("stderr %q\nwant %q", errOut, want)
	}
	// With --json too: stdout is the CSV's, and the error is not run on
	// from its last row.
	exit, out, errOut = export(cliOpts{action: actionID, json: true})
	if exit != 1 || strings.Count(out, "\n") != 3 || strings.Contains(out, "error") || errOut != want {
		t.Fatalf("--json failing: exit %d, stdout %q, stderr %q; want the rows on stdout and the error on stderr", exit, out, errOut)
	}
	// --latest reads every report before it writes: the header alone.
	exit, out, errOut = export(cliOpts{action: actionID, latest: true})
	if exit != 1 || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "it stops after its header and 0 rows") {
		t.Fatalf("--latest failing: exit %d, stdout %q, stderr %q", exit, out, errOut)
	}
	// Whole or nothing to a file.
	dir := t.TempDir()
	file := writeFile(t, dir, "reports.csv", "yesterday's export\n")
	exit, out, errOut = export(cliOpts{action: actionID, out: file})
	if exit != 1 || out != "" || errOut != "textbankd export reports: "+errDatabaseGone.Error()+"\n" {
		t.Fatalf("--out failing: exit %d, stdout %q, stderr %q; want 1 and the database's error alone", exit, out, errOut)
	}
	if raw, _ := os.ReadFile(file); string(raw) != "yesterday's export\n" {
		t.Fatalf("--out after a failed export: %q", raw)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("a failed export left files beside --out: %v", left)
	}
}

var errDatabaseGone = errors.New("database disk image is malformed")

// failingReports is a store whose report rows fail after the first after.
type failingReports struct {
	store.Store
	after int
}

func (s failingReports) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.View(ctx, func(tx store.Tx) error { return fn(failingReportsTx{Tx: tx, after: s.after}) })
}

type failingReportsTx struct {
	store.Tx
	after int
}

func (tx failingReportsTx) EachReportRow(ctx context.Context, actionID string, fn func(store.ReportRow) error) error {
	n := 0
	return tx.Tx.EachReportRow(ctx, actionID, func(r store.ReportRow) error {
		if n == tx.after {
			return errDatabaseGone
		}
		n++
		return fn(r)
	})
}
