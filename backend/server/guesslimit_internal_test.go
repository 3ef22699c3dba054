package server

import (
	"net/http"
	"testing"
	"time"
)

func TestClientAddress(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"203.0.113.7:5555", "203.0.113.7"},
		{"[2001:db8:1:2:aaaa::1]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::9]:80", "2001:db8:1:2::/64"}, // same subscriber, same key
		{"garbage", "garbage"},
	}
	for _, tc := range tests {
		if got := clientAddress(&http.Request{RemoteAddr: tc.remote}); got != tc.want {
			t.Errorf("clientAddress(%q) = %q, want %q", tc.remote, got, tc.want)
		}
	}
}

func TestLoginLimiterWindow(t *testing.T) {
	l := newLoginLimiter()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range loginMaxFailures {
		if w := l.retryAfter(t0.Add(time.Duration(i)*time.Minute), "k"); w != 0 {
			t.Fatalf("throttled after %d failures", i)
		}
		l.fail(t0.Add(time.Duration(i)*time.Minute), "k")
	}
	// The 10 failures span 0..9 minutes; the first ages out at 15.
	if w := l.retryAfter(t0.Add(9*time.Minute), "k"); w != 6*time.Minute {
		t.Fatalf("wait %v, want 6m", w)
	}
	if w := l.retryAfter(t0.Add(15*time.Minute), "k"); w != 0 {
		t.Fatalf("still throttled at 15m: %v", w)
	}
	l.fail(t0.Add(15*time.Minute), "k")
	if w := l.retryAfter(t0.Add(15*time.Minute), "k"); w != time.Minute {
		t.Fatalf("after one more failure: wait %v, want 1m (until the minute-1 failure ages out)", w)
	}
	if w := l.retryAfter(t0.Add(15*time.Minute), "other"); w != 0 {
		t.Fatalf("another key throttled: %v", w)
	}
}
