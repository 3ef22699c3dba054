package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/demo"
)

// stepBound is how long a demo test may take before it is called stuck.
// Each takes about a second here; on a loaded 2-core CI machine ten times
// that has been seen, so a minute fails a stuck test within a minute
// without failing a slow one.
const stepBound = time.Minute

// testContext is the context every step of a demo test runs under: done
// when the test ends, and at stepBound, or 10 s before go test's -timeout
// if that comes first, so that a stuck step fails naming what it waited
// for rather than at the -timeout's panic (or never, where a step ran on
// context.Background()).
func testContext(t *testing.T) context.Context {
	t.Helper()
	deadline := time.Now().Add(stepBound)
	if d, ok := t.Deadline(); ok && d.Add(-10*time.Second).Before(deadline) {
		deadline = d.Add(-10 * time.Second)
	}
	ctx, cancel := context.WithDeadline(t.Context(), deadline)
	t.Cleanup(cancel)
	return ctx
}

// closeDemo closes inst when the test ends, within its own bound: the
// test's context is cancelled before cleanups run, and a Close that
// hangs is a failure of its own.
func closeDemo(t *testing.T, inst *demo.Instance) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := inst.Close(ctx); err != nil {
			t.Errorf("close the demo: %v", err)
		}
	})
}
