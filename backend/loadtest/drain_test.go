package loadtest

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestWaitDrained: the end of a run waits for the backlog as long as it
// falls, however long that takes, and gives up once it stops falling or
// the whole wait runs out; what is left then counts as lost.
func TestWaitDrained(t *testing.T) {
	seq := func(ns ...int) func() (int, error) {
		i := 0
		return func() (int, error) {
			n := ns[min(i, len(ns)-1)]
			i++
			return n, nil
		}
	}
	const tick = time.Millisecond
	ctx := context.Background()
	// Falling slowly, past several stall windows: waits it out. The window
	// is 100 ticks, not 20: each value lasts two ticks, and on a busy
	// machine a poller descheduled for 20 ms read as a stall (a flaky 43
	// left) though the backlog was still falling.
	falling := make([]int, 400)
	for i := range falling {
		falling[i] = (400 - i) / 2
	}
	if n, err := waitDrained(ctx, seq(falling...), 100*tick, time.Minute, tick); n != 0 || err != nil {
		t.Errorf("a backlog that keeps falling: %d left (%v), want 0", n, err)
	}
	// Stuck at 7: gives up after the stall window with 7 left.
	start := time.Now()
	if n, err := waitDrained(ctx, seq(10, 9, 7), 30*tick, time.Minute, tick); n != 7 || err != nil {
		t.Errorf("a stuck backlog: %d left (%v), want 7", n, err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("a stuck backlog was waited for %v", waited)
	}
	// Falling but beyond the whole wait: gives up with what is left.
	slow := make([]int, 10000)
	for i := range slow {
		slow[i] = 10000 - i
	}
	if n, err := waitDrained(ctx, seq(slow...), time.Minute, 30*tick, tick); n == 0 || n == 10000 || err != nil {
		t.Errorf("a backlog beyond the whole wait: %d left (%v), want some, fewer than at first", n, err)
	}
	// A failed count is the error.
	boom := errors.New("boom")
	if _, err := waitDrained(ctx, func() (int, error) { return 0, boom }, time.Minute, time.Minute, tick); !errors.Is(err, boom) {
		t.Errorf("a failed count: %v, want boom", err)
	}
}
