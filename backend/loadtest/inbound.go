package loadtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

// inbound is the simulated network's side of replies: rate texts a second
// from contacts who were texted, to the number that texted them.
type inbound struct {
	rcv    sms.Receiver
	texted func() []sms.Outbound
	rate   int
	stats  *recorder
	// prefix starts this run's provider ids (replyPrefix: "SM10ad" and the
	// run's number): a run on a database that earlier runs used must
	// neither have its replies taken for theirs nor count theirs as
	// doubles.
	prefix string

	mu  sync.Mutex
	ids []string // provider ids delivered without error
	// unanswered are provider ids whose every delivery failed: the
	// server may have stored them all the same (its commit lost on the
	// way back), once.
	unanswered []string
}

// deliverTries bounds a reply's deliveries while the server answers with
// an error, as a provider retries a webhook (Twilio: when the URL asks,
// #rc=N), about 6 s in all.
const deliverTries = 8

func (in *inbound) run(ctx context.Context, deadline time.Time) {
	const tick = 10 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	owed, next := 0.0, 0
	var texted []sms.Outbound
	for i := 0; ; i++ {
		now := <-t.C
		if ctx.Err() != nil || now.After(deadline) {
			return
		}
		if len(texted) == 0 || i%100 == 0 {
			// The contacts texted so far, refreshed every second.
			texted = in.texted()
		}
		if len(texted) == 0 {
			continue
		}
		owed += float64(in.rate) * tick.Seconds()
		for ; owed >= 1; owed-- {
			m := texted[next%len(texted)]
			next++
			n := next
			wg.Add(1)
			go func() {
				defer wg.Done()
				in.deliver(ctx, n, m)
			}()
		}
	}
}

func (in *inbound) deliver(ctx context.Context, n int, m sms.Outbound) {
	msg := sms.Inbound{ProviderID: fmt.Sprintf("%s%08d", in.prefix, n), From: m.To, To: m.From, Body: "Yes, count me in", ReceivedAt: time.Now()}
	ctx = context.WithoutCancel(ctx)
	t0 := time.Now()
	var err error
	// The webhook's work is the server's (in a server process it runs on
	// the server's request goroutine).
	as(roleServer, func() { err = in.rcv.Receive(ctx, msg) })
	in.stats.add(kindInbound, time.Since(t0))
	for try := 1; err != nil; try++ {
		in.stats.fail(kindInbound, err)
		if try == deliverTries {
			in.mu.Lock()
			in.unanswered = append(in.unanswered, msg.ProviderID)
			in.mu.Unlock()
			return
		}
		time.Sleep(50 * time.Millisecond << (try - 1))
		as(roleServer, func() { err = in.rcv.Receive(ctx, msg) })
	}
	in.mu.Lock()
	in.ids = append(in.ids, msg.ProviderID)
	in.mu.Unlock()
	if n%10 == 0 {
		// Providers retry webhooks: the repeat must not be stored.
		as(roleServer, func() { err = in.rcv.Receive(ctx, msg) })
		if err != nil {
			in.stats.fail(kindInbound, err)
		}
	}
}

// replyPrefix starts the provider ids of a run's replies: with the
// counter's 8 digits they are Twilio-shaped, "SM" and 32 hex digits, as the
// inbound webhook demands ("10ad" reads "load").
func replyPrefix(run string) string {
	return "SM10ad" + run + strings.Repeat("0", 32-4-len(run)-8)
}
