package server

import (
	"fmt"
	"testing"
	"time"
)

// TestPushLimitIsGenerous: with the server's own limits, a person clicking,
// textbankd loadtest's 200 volunteers each pushing 20 times a second and 32
// pushing 250 times a second, each for a minute, are never refused; one
// account pushing as fast as it can is
// refused once its burst is spent, told how long to wait, and let in
// again after that wait.
func TestPushLimitIsGenerous(t *testing.T) {
	l := newPushLimiter(pushRate, pushBurst)
	t0 := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	for i := range 60 * 20 { // a minute at 20 a second
		at := t0.Add(time.Duration(i) * 50 * time.Millisecond)
		for v := range 200 {
			if ok, _ := l.take(fmt.Sprint("volunteer-", v), at); !ok {
				t.Fatalf("volunteer %d refused at push %d (20 a second)", v, i)
			}
		}
	}
	for i := range 60 * 250 { // 32 volunteers at 250 a second
		at := t0.Add(2*time.Minute + time.Duration(i)*4*time.Millisecond)
		for v := range 32 {
			if ok, _ := l.take(fmt.Sprint("fast-", v), at); !ok {
				t.Fatalf("fast volunteer %d refused at push %d (250 a second)", v, i)
			}
		}
	}
	// Clicking: bursts of 10 within a tenth of a second, every second.
	for s := range 60 {
		for i := range 10 {
			if ok, _ := l.take("clicker", t0.Add(time.Duration(s)*time.Second+time.Duration(i)*10*time.Millisecond)); !ok {
				t.Fatalf("a person clicking was refused at second %d", s)
			}
		}
	}

	// A flood: pushes at one instant, past the burst.
	refusedAt, wait := -1, time.Duration(0)
	for i := range 3 * pushBurst {
		if ok, w := l.take("flood", t0); !ok {
			refusedAt, wait = i, w
			break
		}
	}
	if refusedAt != pushBurst || wait <= 0 || wait > time.Second/pushRate+time.Microsecond {
		t.Fatalf("flood refused at push %d with wait %v; want at %d, wait up to %v", refusedAt, wait, pushBurst, time.Second/pushRate)
	}
	if ok, _ := l.take("flood", t0); ok {
		t.Fatal("a refused push spent nothing, yet the next one at once got in")
	}
	if ok, _ := l.take("flood", t0.Add(wait)); !ok {
		t.Fatal("refused after waiting as told")
	}
	if ok, _ := l.take("other", t0); !ok {
		t.Fatal("one user's flood refused another user")
	}
}

// TestPushLimiterForgetsIdleUsers: buckets that have filled up again are
// dropped at the next sweep, so the map holds only recent pushers.
func TestPushLimiterForgetsIdleUsers(t *testing.T) {
	l := newPushLimiter(pushRate, pushBurst)
	t0 := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	for i := range 1000 {
		l.take(fmt.Sprint("u", i), t0)
	}
	l.take("recent", t0.Add(pushSweepEvery+time.Second))
	l.take("recent", t0.Add(pushSweepEvery+2*time.Second))
	if len(l.buckets) != 1 {
		t.Fatalf("after a sweep %d buckets are kept, want only the recent pusher's", len(l.buckets))
	}
}

// TestPushLimiterForgetsUsersHeardOf: a server that takes no pushes itself
// but hears of other servers' drops the buckets of users heard of once
// they filled up again, as it does its own pushers'. Before, only take
// swept, and such a server kept a bucket for every user ever announced.
func TestPushLimiterForgetsUsersHeardOf(t *testing.T) {
	l := newPushLimiter(pushRate, pushBurst)
	t0 := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	for i := range 1000 {
		l.heard([]string{fmt.Sprint("u", i)}, []int{100}, t0)
	}
	l.heard([]string{"recent"}, []int{100}, t0.Add(pushSweepEvery+time.Second))
	l.heard([]string{"recent"}, []int{100}, t0.Add(pushSweepEvery+2*time.Second))
	if len(l.buckets) != 1 {
		t.Fatalf("after a minute %d buckets of users heard of are kept, want only the recent one's", len(l.buckets))
	}
}
