package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// TestPushesPastTheLimitWaitTheirTurn: a user pushing faster than the
// limit gets 429 too_many_requests with Retry-After and words saying the
// changes are kept; the refused push applies nothing, and the same push
// sent again after the wait applies. Another user is not held back.
func TestPushesPastTheLimitWaitTheirTurn(t *testing.T) {
	// One push a second: the limiter runs on the real clock, and a push a
	// loaded machine takes 50 ms over must not refill the bucket before the
	// third is refused (at 20 a second it did, in CI).
	f := newFixtureWith(t, fixtureOpts{pushRate: 1, pushBurst: 2})
	c, _ := f.user("vera")
	other, _ := f.user("olga")
	ctx := context.Background()
	settings := func(on bool) []api.Mutation {
		return []api.Mutation{{ID: uuid.NewString(), Type: api.MutSettings, Settings: &api.Settings{AutoArchive: on}, CreatedAt: baseTime}}
	}
	for range 2 {
		wantApplied(t, push(t, c, settings(false)[0]))
	}
	refused := settings(true)
	_, err := c.PushMutations(ctx, refused)
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusTooManyRequests || ae.Err.Code != api.CodeTooManyRequests ||
		ae.RetryAfter != time.Second || !strings.Contains(ae.Err.Message, "they are kept, try again in 1 second") {
		t.Fatalf("a push past the limit: %#v; want 429 too_many_requests, Retry-After 1, in words", err)
	}
	wantApplied(t, push(t, other, settings(true)[0]))
	// Nothing of the refused push was applied: the settings are as before.
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	seen := 0
	for k, ch := range state {
		if strings.HasPrefix(k, api.KindSettings+"/") {
			seen++
			if !strings.Contains(string(ch.Data), `"autoArchive":false`) {
				t.Fatalf("the refused push was applied: %s", ch.Data)
			}
		}
	}
	if seen != 1 {
		t.Fatalf("sync brought %d settings, want the volunteer's one", seen)
	}
	time.Sleep(1050 * time.Millisecond) // one push's worth at 1 a second
	resp, err := c.PushMutations(ctx, refused)
	if err != nil || len(resp.Results) != 1 || resp.Results[0].Status != api.ResultApplied {
		t.Fatalf("the refused push sent again after the wait: %+v, %v", resp, err)
	}
}
