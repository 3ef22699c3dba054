package sync_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// TestReusedMutationIDRefusedOnce: an outbox row whose mutation id the
// server already applied for other content (a corrupted outbox) is refused
// by the server; the app marks it refused, rolls it back, says why
// (naming the id), and does not send it again, and the change queued
// after it still goes out.
func TestReusedMutationIDRefusedOnce(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	q := h.batch()
	if len(q) < 3 {
		t.Fatalf("batch of %d, want 3", len(q))
	}
	h.send(q[0])
	before, err := h.cache.Outbox(ctx)
	if err != nil || len(before) != 1 {
		t.Fatalf("outbox %+v %v", before, err)
	}
	applied := before[0].Mutation.ID
	if err := h.engine.PushNow(ctx); err != nil {
		t.Fatal(err)
	}
	if h.pending() != 0 {
		t.Fatal("the first text is still in the outbox")
	}
	h.send(q[1])
	h.send(q[2])
	// Corrupt the second text's row: it takes the first text's id.
	db, err := sql.Open("sqlite3", filepath.Join(h.dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET id = ?, payload = json_set(payload, '$.id', ?) WHERE seq = (SELECT MIN(seq) FROM outbox)`, applied, applied); err != nil {
		t.Fatal(err)
	}
	if err := h.engine.PushNow(ctx); err != nil {
		t.Fatalf("push: %v", err)
	}
	if n := h.pending(); n != 0 {
		t.Fatalf("%d mutations still waiting to be sent, want 0 (one refused, one applied)", n)
	}
	rows, err := h.cache.Outbox(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox %+v %v; want the refused row alone", rows, err)
	}
	r := rows[0]
	if !r.Rejected || r.Mutation.ID != applied || r.Code != api.RejectIDReused || !strings.Contains(r.Reason, applied) {
		t.Fatalf("refused row %+v", r)
	}
	eventually(t, "the text queued after it sent", 10*time.Second, func() bool { return h.sentTo(q[2].Phone) == 1 })
	// Pushed before it, a text the server took would have gone out by now.
	if n := h.sentTo(q[1].Phone); n != 0 {
		t.Errorf("the refused text reached its contact %d times", n)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.rejected) != 1 || h.rejected[0].ID != applied || h.rejected[0].Type != api.MutSendInitial {
		t.Fatalf("OnChange rejections %+v", h.rejected)
	}
}
