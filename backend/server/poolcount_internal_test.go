package server

import (
	"sync"
	"sync/atomic"
	"testing"
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
	wg.Go(func() { results[0], _ = p.count("a", count) })
	<-first
	for i := 1; i <= 20; i++ {
		wg.Go(func() {
			asked[i] = begun.Load()
			results[i], _ = p.count("a", count)
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
	if n, err := p.count("b", func() (int, error) { return 7, nil }); n != 7 || err != nil {
		t.Fatalf("count of b = %d, %v; want 7", n, err)
	}
}
