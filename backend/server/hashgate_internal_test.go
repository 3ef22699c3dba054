package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHashGateRunsAtMostItsTurns(t *testing.T) {
	g := &hashGate{slots: make(chan struct{}, 2), wait: 10 * time.Second}
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			err := g.do(context.Background(), func() {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most.Load() != 2 {
		t.Fatalf("at most %d hashes ran at once, want 2", most.Load())
	}
}

func TestHashGateBusyAndCancelled(t *testing.T) {
	g := &hashGate{slots: make(chan struct{}, 1), wait: 30 * time.Millisecond}
	g.slots <- struct{}{}
	ran := false
	if err := g.do(context.Background(), func() { ran = true }); !errors.Is(err, errHashBusy) || ran {
		t.Fatalf("with no turn free: %v (ran %v), want busy", err, ran)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g.wait = time.Minute
	if err := g.do(ctx, func() { ran = true }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("a request that ended: %v (ran %v)", err, ran)
	}
	<-g.slots
	if err := g.do(ctx, func() { ran = true }); !errors.Is(err, context.Canceled) || ran || len(g.slots) != 0 {
		t.Fatalf("a request that ended, with a turn free: %v (ran %v, %d turns taken)", err, ran, len(g.slots))
	}
	if err := g.do(context.Background(), func() { ran = true }); err != nil || !ran {
		t.Fatalf("with a turn free: %v (ran %v)", err, ran)
	}
	if len(g.slots) != 0 {
		t.Fatal("the turn was not given back")
	}
}

func TestHashGateLeavesACore(t *testing.T) {
	if n := cap(newHashGate().slots); n < 1 {
		t.Fatalf("%d turns", n)
	}
}
