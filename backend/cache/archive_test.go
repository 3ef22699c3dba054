package cache_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

func reasonOf(t *testing.T, c *cache.Cache, id string) string {
	t.Helper()
	m, err := c.ArchivedReasons(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	return m[id]
}

func archivedNow(t *testing.T, c *cache.Cache, id string) bool {
	t.Helper()
	d, err := c.Thread(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Thread.Archived
}

func onlyPending(t *testing.T, c *cache.Cache) api.Mutation {
	t.Helper()
	m, err := c.PendingMutations(context.Background(), 50)
	if err != nil || len(m) == 0 {
		t.Fatalf("pending %v %v", m, err)
	}
	return m[len(m)-1]
}

// The cache mirrors the server's archive rules while changes wait in the
// outbox, reasons included, and rolls them back when refused.
func TestPendingArchiveRules(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c) // k9: last inbound at minute 2

	// Archive and unarchive as often as wanted.
	for i := range 3 {
		if err := c.Archive(ctx, "k9", true, *at(3 + 2*i)); err != nil {
			t.Fatal(err)
		}
		if !archivedNow(t, c, "k9") || reasonOf(t, c, "k9") != string(inbox.ByUser) {
			t.Fatalf("round %d: not archived by the volunteer", i)
		}
		if err := c.Archive(ctx, "k9", false, *at(4 + 2*i)); err != nil {
			t.Fatal(err)
		}
		if archivedNow(t, c, "k9") || reasonOf(t, c, "k9") != "" {
			t.Fatalf("round %d: still archived", i)
		}
	}
	if err := c.Archive(ctx, "k9", true, *at(10)); err != nil {
		t.Fatal(err)
	}
	// The contact answers after the (still unsent) archive: back in the inbox.
	th := serverThread("k9", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt = at(1), at(11)
	apply(t, c, change(t, 20, api.KindThread, "k9", th),
		change(t, 21, api.KindMessage, "in2", api.Message{ID: "in2", ThreadID: "k9", Direction: api.DirInbound, Body: "Hello?", CreatedAt: *at(11)}))
	if archivedNow(t, c, "k9") {
		t.Fatal("a reply newer than the pending archive did not bring the thread back")
	}
	// Archived again after reading it: it holds.
	if err := c.Archive(ctx, "k9", true, *at(12)); err != nil {
		t.Fatal(err)
	}
	if !archivedNow(t, c, "k9") {
		t.Fatal("a later archive did not hold")
	}

	// Automatic Archive: a report archives, as the server will.
	if s, err := c.LocalSettings(ctx); err != nil || s.AutoArchive {
		t.Fatalf("settings %+v %v", s, err)
	}
	if err := c.SetAutoArchive(ctx, true, *at(13)); err != nil {
		t.Fatal(err)
	}
	if s, _ := c.LocalSettings(ctx); !s.AutoArchive {
		t.Fatal("pending setting not shown")
	}
	if err := c.Archive(ctx, "k9", false, *at(14)); err != nil {
		t.Fatal(err)
	}
	// "Not an opt-out" (the opt-out suggestion answered) does not archive,
	// as the server will not: the volunteer means to answer them.
	if err := c.Report(ctx, "k9", "rep-not-opt-out", map[string]string{"opt_out": "false"}, *at(14)); err != nil {
		t.Fatal(err)
	}
	if archivedNow(t, c, "k9") {
		t.Fatal("Not an opt-out archived the conversation")
	}
	// (Taken back, so that what follows sees one report.)
	pendingNow, _ := c.PendingMutations(ctx, 50)
	for _, m := range pendingNow {
		if m.ReportID == "rep-not-opt-out" {
			if err := c.MarkRejected(ctx, m.ID, api.RejectInvalid, "no"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := c.Report(ctx, "k9", "rep-local", map[string]string{"notes": "called back"}, *at(15)); err != nil {
		t.Fatal(err)
	}
	if !archivedNow(t, c, "k9") || reasonOf(t, c, "k9") != string(inbox.AfterReport) {
		t.Fatalf("report with Automatic Archive: archived=%v reason=%q", archivedNow(t, c, "k9"), reasonOf(t, c, "k9"))
	}
	d, _ := c.Thread(ctx, "k9")
	if len(d.Reports) != 1 || d.Reports[0].ID != "rep-local" || d.Thread.LastReportAt == nil {
		t.Fatalf("local report %+v", d.Reports)
	}
	report := onlyPending(t, c)
	if report.Type != api.MutReport || report.ReportID != "rep-local" || report.Values["notes"] != "called back" {
		t.Fatalf("queued report %+v", report)
	}
	// The server refuses the setting: the report no longer archives.
	pending, _ := c.PendingMutations(ctx, 50)
	for _, m := range pending {
		if m.Type == api.MutSettings {
			if err := c.MarkRejected(ctx, m.ID, api.RejectInvalid, "no"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s, _ := c.LocalSettings(ctx); s.AutoArchive {
		t.Fatal("refused setting still shown")
	}
	if archivedNow(t, c, "k9") {
		t.Fatal("refused setting still archives the reported thread")
	}
	// The server refuses the report: it leaves the thread.
	if err := c.MarkRejected(ctx, report.ID, api.RejectInvalid, "no such field"); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Thread(ctx, "k9"); len(d.Reports) != 0 || d.Thread.LastReportAt != nil {
		t.Fatalf("refused report still shown: %+v", d.Reports)
	}

	// Server reasons in the inbox's words.
	for wire, want := range map[string]inbox.Reason{"manual": inbox.ByUser, "report": inbox.AfterReport, "inactive": inbox.Inactive, "": inbox.ByUser} {
		th := serverThread("k7", api.ActionTeam)
		th.Archived, th.ArchivedReason = true, wire
		apply(t, c, change(t, 30, api.KindThread, "k7", th))
		if got := reasonOf(t, c, "k7"); got != string(want) {
			t.Errorf("server reason %q shows as %q, want %q", wire, got, want)
		}
	}
}

func TestReportBadInput(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	if err := c.Report(ctx, "k9", "", nil, *at(3)); err == nil {
		t.Fatal("a report without an id was accepted")
	}
	if err := c.Report(ctx, "nope", "r1", nil, *at(3)); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("report on an unknown thread: %v", err)
	}
	if err := c.Report(ctx, "k9", "r1", nil, *at(3)); err != nil {
		t.Fatal(err)
	}
	if err := c.Report(ctx, "k9", "r1", nil, *at(4)); err == nil {
		t.Fatal("the same report id was filed twice")
	}
	if n, _ := c.PendingCount(ctx); n != 1 {
		t.Fatalf("refused reports left %d pending", n)
	}
}

// Migration 0003 gives threads archived before it a reason.
func TestArchivedReasonMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	th := serverThread("k5", api.ActionP2P)
	th.Archived, th.ArchivedReason = true, "inactive"
	apply(t, c, change(t, 1, api.KindThread, "k5", th))
	c.Close()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE threads SET archived_reason = ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ALTER TABLE threads DROP COLUMN archived_reason`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	c, err = cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := reasonOf(t, c, "k5"); got != "inactive" {
		t.Fatalf("after migration: %q", got)
	}
}
