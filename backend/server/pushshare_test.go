package server_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestTwoServersSharePushLimit: on one PostgreSQL, a user pushing as fast
// as answered through two servers at once (a load balancer spreading the
// app's requests) is let through about one bucket's worth in all, not one
// on each: each server announces the pushes it let through and spends
// what the other announced.
func TestTwoServersSharePushLimit(t *testing.T) {
	pgtest.Require(t)
	// Ten a second: the user reaches the limit on both servers while a push
	// takes under 100 ms (a loaded CI machine), and a bucket on each server
	// would let through about 70, well past the one bucket's 35 and slack.
	const rate, burst = 10, 5
	f := newFixtureWith(t, fixtureOpts{pushRate: rate, pushBurst: burst})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	srvB, tsB := f.second()
	srvB.SetPushLimit(rate, burst)
	waitTokensLive(ctx, t, srvB)
	waitTokensLive(ctx, t, f.srv)
	a, _ := f.user("vera")
	b := api.NewClient(tsB.URL, nil)
	b.SetToken(f.token(a))

	const d = 3 * time.Second
	applied, refused := map[string]int{}, map[string]int{}
	start := time.Now()
	for time.Since(start) < d {
		for name, c := range map[string]*api.Client{"A": a, "B": b} {
			m := api.Mutation{ID: uuid.NewString(), Type: api.MutSettings, Settings: &api.Settings{}, CreatedAt: baseTime}
			resp, err := c.PushMutations(ctx, []api.Mutation{m})
			var ae *api.APIError
			switch {
			case err == nil && len(resp.Results) == 1 && resp.Results[0].Status == api.ResultApplied:
				applied[name]++
			case errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests && ae.RetryAfter > 0:
				refused[name]++
			default:
				t.Fatalf("a push on %s: %+v, %v", name, resp, err)
			}
		}
	}
	elapsed := time.Since(start).Seconds()
	// One bucket: the burst and the rate over the time taken; the slack is
	// what each server lets through before the other hears of it (a
	// quarter second's rate, a tenth of a second's not yet named, the
	// NOTIFY's delay). A bucket on each server would let through twice.
	shared := burst + rate*elapsed
	total := applied["A"] + applied["B"]
	t.Logf("let through %v, refused %v in %.1fs; one bucket: %.0f", applied, refused, elapsed, shared)
	if float64(total) > shared+12 {
		t.Fatalf("%v pushes let through in %.1fs, want about %.0f across both servers: each limits on its own", applied, elapsed, shared)
	}
	// Slow writes (a busy machine) can keep the user under the limit;
	// both servers must have been reached and have refused some.
	if applied["A"] == 0 || applied["B"] == 0 || refused["A"] == 0 || refused["B"] == 0 {
		t.Fatalf("let through %v, refused %v: the user did not reach the limit on both servers", applied, refused)
	}
}
