package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/testlog"
)

// TestCatchUpWarnsOfRepliesTheWebhookMissed: a periodic round warns that
// the webhook did not get a reply only when Twilio received it more than
// a minute (or the interval, if shorter) before the round began. A reply
// of a moment before, its webhook request still on the way, is stored
// all the same but warned of not: the warning fired once for it, sending
// an operator to check a proxy that was fine. Fails without the fix at
// the first round.
func TestCatchUpWarnsOfRepliesTheWebhookMissed(t *testing.T) {
	ctx := context.Background()
	var logs testlog.Buffer
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(&logs)})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, assigned, ours := texted(t, f, cf, 1)
	raw := &rawTwilio{}
	p := catchStandIn(t, raw)
	var msgs []map[string]any
	const warning = "stored texts the webhook did not get"
	round := func(step string, every, before time.Duration, wantMissed int) {
		t.Helper()
		warnings := strings.Count(logs.String(), warning)
		now := f.clock.Now()
		f.update(func(tx store.Tx) error { return tx.NoteInboundListed(ctx, now.Add(-every)) }) // the last round, an interval ago
		sid := "SM" + strings.Repeat("0", 30) + itoa(10+len(msgs))
		msgs = append(msgs, twilioMsg(sid, assigned[0].Phone, ours, "Count me in", "inbound", now.Add(-before), 0))
		raw.set(map[string]string{"0": page("", msgs...)})
		res, err := f.srv.CatchUpRound(ctx, p, every)
		if err != nil || res.New != 1 || res.Missed != wantMissed {
			t.Fatalf("%s: %+v (%v); want 1 new, %d missed", step, res, err, wantMissed)
		}
		if warned := strings.Count(logs.String(), warning) > warnings; warned != (wantMissed > 0) {
			t.Fatalf("%s: warned %v, want %v:\n%s", step, warned, wantMissed > 0, logs.String())
		}
	}
	round("a reply of 30 s before the round", 5*time.Minute, 30*time.Second, 0)
	f.clock.Advance(5 * time.Minute)
	round("a reply of 2 minutes before the round", 5*time.Minute, 2*time.Minute, 1)
	f.clock.Advance(5 * time.Minute)
	round("a reply of 30 s before a round every 20 s", 20*time.Second, 30*time.Second, 1)
}
