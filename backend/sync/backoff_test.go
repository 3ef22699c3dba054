package sync

import (
	"fmt"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	e := New(Config{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second})
	cases := []struct {
		failures int
		lo, hi   time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond},
		{5, 500 * time.Millisecond, time.Second},
		{60, 500 * time.Millisecond, time.Second},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d failures", tc.failures), func(t *testing.T) {
			for range 200 {
				if d := e.backoff(tc.failures); d < tc.lo || d > tc.hi {
					t.Fatalf("backoff(%d) = %s, want within [%s, %s]", tc.failures, d, tc.lo, tc.hi)
				}
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	e := New(Config{BackoffMin: time.Minute, BackoffMax: time.Second})
	if e.cfg.PollInterval != 30*time.Second || e.cfg.BackoffMax != time.Minute {
		t.Fatalf("config %+v", e.cfg)
	}
}
