package server

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolCountsAreFresh: a hand-out that shares a count gets one that
// began after it asked (so after its own commit), and concurrent hand-outs
// share counts instead of each running one.
func TestPoolCountsAreFresh(t *testing.T) {
	var p poolCounts
	var begun atomic.Int64
	release := make(chan struct{})
	first := make(chan struct{})
	count := func() (int, error) {
		n := begun.Add(1)
		if n == 1 {
			close(first)
			<-release
		}
		return int(n), nil
	}
	var wg sync.WaitGroup
	results := make([]int, 21)
	asked := make([]int64, 21)
	// Each asks at a time of its own, past the last count's freshness:
	// only sharing can save a count here.
	at := func(i int) time.Time { return time.Unix(0, 0).Add(time.Duration(i) * 2 * poolCountFresh) }
	wg.Go(func() { results[0], _ = p.count("a", at(0), count) })
	<-first
	for i := 1; i <= 20; i++ {
		wg.Go(func() {
			asked[i] = begun.Load()
			results[i], _ = p.count("a", at(i), count)
		})
	}
	close(release)
	wg.Wait()
	for i, n := range results {
		if int64(n) <= asked[i] {
			t.Errorf("caller %d asked when %d counts had begun and got count %d: want one begun after it asked", i, asked[i], n)
		}
	}
	if n := begun.Load(); n > 21 {
		t.Errorf("%d counts for 21 hand-outs", n)
	}
	// Another action is counted on its own.
	if n, err := p.count("b", at(0), func() (int, error) { return 7, nil }); n != 7 || err != nil {
		t.Fatalf("count of b = %d, %v; want 7", n, err)
	}
}

// TestPoolCountReusedWhileFresh: within poolCountFresh a count is reused
// less this server's hand-outs since; after it, after a release (forget),
// after a failed count, or with the clock turned back, the pool is counted
// again.
func TestPoolCountReusedWhileFresh(t *testing.T) {
	var p poolCounts
	counts := 0
	pool := 100
	count := func() (int, error) { counts++; return pool, nil }
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		name       string
		at         time.Duration
		handed     int
		forget     bool
		want       int
		wantCounts int
	}{
		{"first hand-out counts", 0, 0, false, 100, 1},
		{"30 handed out, reused", 300 * time.Millisecond, 30, false, 70, 1},
		{"more handed out than counted, never below 0", 600 * time.Millisecond, 80, false, 0, 1},
		{"stale after a second: counted", time.Second, 0, false, 100, 2},
		{"released here: counted", time.Second + 100*time.Millisecond, 0, true, 100, 3},
		{"clock turned back: counted", 500 * time.Millisecond, 0, false, 100, 4},
	}
	for _, st := range steps {
		p.handed("a", st.handed)
		if st.forget {
			p.forget("a")
		}
		n, err := p.count("a", t0.Add(st.at), count)
		if err != nil || n != st.want || counts != st.wantCounts {
			t.Fatalf("%s: count = %d, %v after %d counts; want %d after %d", st.name, n, err, counts, st.want, st.wantCounts)
		}
	}
	// A failed count is not kept.
	boom := errors.New("disk on fire")
	if _, err := p.count("b", t0, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("failed count: %v", err)
	}
	if n, err := p.count("b", t0, func() (int, error) { return 5, nil }); n != 5 || err != nil {
		t.Fatalf("after a failed count = %d, %v; want 5 counted anew", n, err)
	}
}

// TestPoolCountMeanwhile: what happens here while a count runs is not
// lost: hand-outs after it began are taken off the count it keeps, and a
// release keeps it from being kept at all.
func TestPoolCountMeanwhile(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		meanwhile func(p *poolCounts)
		want      int // the next hand-out's figure, counting 500 if it counts
	}{
		{"50 handed out while counting 100", func(p *poolCounts) { p.handed("a", 50) }, 50},
		{"a release while counting 100", func(p *poolCounts) { p.forget("a") }, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p poolCounts
			begun, finish := make(chan struct{}), make(chan struct{})
			done := make(chan int)
			go func() {
				n, _ := p.count("a", t0, func() (int, error) { close(begun); <-finish; return 100, nil })
				done <- n
			}()
			<-begun
			tc.meanwhile(&p)
			close(finish)
			if n := <-done; n != 100 {
				t.Fatalf("the count itself = %d, want 100", n)
			}
			n, err := p.count("a", t0.Add(100*time.Millisecond), func() (int, error) { return 500, nil })
			if err != nil || n != tc.want {
				t.Fatalf("next hand-out = %d, %v; want %d", n, err, tc.want)
			}
		})
	}
}
