package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/testlog"
)

// TestRefusalsAreLoggedWithoutTheContact: the server's refusal of a
// change names the contact ("Ada Lovelace is no longer assigned to you");
// the app keeps those words in its cache for the volunteer, which signing
// out deletes, but its log file, which signing out keeps, says only which
// change was refused and the refusal's code.
func TestRefusalsAreLoggedWithoutTheContact(t *testing.T) {
	var logs testlog.Buffer
	log := zerolog.New(&logs).Level(zerolog.DebugLevel)
	// The engine runs only once the text is queued: running, it would hear
	// of the release and take the contact out of the queue first.
	h := newHarness(t, harnessOpts{log: &log, noRun: true})
	ctx := context.Background()
	q := h.batch()
	a := q[0]
	if _, err := h.api.Release(ctx, a.ActionID, []string{a.ContactID}); err != nil {
		t.Fatal(err)
	}
	h.send(a)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); h.engine.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	eventually(t, "the refusal", 10*time.Second, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.rejected) == 1
	})
	h.mu.Lock()
	r := h.rejected[0]
	h.mu.Unlock()
	name := a.FirstName + " " + a.LastName
	if r.Code != api.RejectNotAssigned || !strings.Contains(r.Reason, name) {
		t.Fatalf("refusal %+v; want not_assigned naming %s (the test would see nothing)", r, name)
	}
	out := logs.String()
	if !strings.Contains(out, "server refused a mutation") || !strings.Contains(out, api.RejectNotAssigned) {
		t.Fatalf("the log does not tell of the refusal:\n%s", out)
	}
	for _, s := range []string{name, a.Phone, r.Reason} {
		if strings.Contains(out, s) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
}
