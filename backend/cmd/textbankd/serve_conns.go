package main

import (
	"flag"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
)

// connsConfig is serve's connection caps: how many connections one client
// address and everyone may hold open at once, and how many past those the
// provider's webhooks may still take (backend/server/connlimit.go,
// connreserve.go).
type connsConfig struct {
	perAddr, total int
	webhookReserve int
}

// mostWebhookReserve bounds --webhook-reserve: each connection is a file
// descriptor and about 15 KB, and a webhook's request takes milliseconds,
// so even an account posting thousands a minute holds a few hundred at once.
const mostWebhookReserve = 10_000

// connsFlags defines the caps' flags and their variables.
func connsFlags(fs *flag.FlagSet, c *connsConfig, env map[string]string) {
	fs.IntVar(&c.perAddr, "max-conns-per-address", server.DefaultMaxConnsPerAddress, "how many connections one client address may hold open at once "+
		"(an IPv6 address counts as its /64, and its /48 holds ten times as many, at most half --max-conns; an app holds about 3; "+
		"the default lets 600 volunteers share one office's address); more are answered 503 server_busy and closed; "+
		"a --trusted-proxies address is not capped (TEXTBANK_MAX_CONNS_PER_ADDRESS)")
	fs.IntVar(&c.total, "max-conns", server.DefaultMaxConns, "how many connections the server holds open at once from everyone (about 15 KB "+
		"and a file descriptor each); more are answered 503 server_busy and closed (TEXTBANK_MAX_CONNS)")
	fs.IntVar(&c.webhookReserve, "webhook-reserve", server.DefaultWebhookReserve, "how many connections past --max-conns the SMS provider's "+
		"webhooks (a contact's reply, a delivery report) may still take, one request each; raise it for an account whose webhooks "+
		"are refused while the server is full (TEXTBANK_WEBHOOK_RESERVE)")
	env["max-conns-per-address"] = "TEXTBANK_MAX_CONNS_PER_ADDRESS"
	env["max-conns"] = "TEXTBANK_MAX_CONNS"
	env["webhook-reserve"] = "TEXTBANK_WEBHOOK_RESERVE"
}

// check refuses caps that cannot work: no connections at all, an address
// allowed more than everyone together, or no room for the webhooks (a full
// server would then refuse contacts' replies, which Twilio does not post
// again).
func (c connsConfig) check() error {
	const most = 1_000_000
	switch {
	case c.total < 1 || c.total > most:
		return fmt.Errorf("--max-conns %d: want 1 to %d", c.total, most)
	case c.perAddr < 1 || c.perAddr > c.total:
		return fmt.Errorf("--max-conns-per-address %d: want 1 to --max-conns (%d)", c.perAddr, c.total)
	case c.webhookReserve < 1 || c.webhookReserve > mostWebhookReserve:
		return fmt.Errorf("--webhook-reserve %d: want 1 to %d; without a reserve a full server refuses the provider's webhooks, "+
			"and a contact's reply with them (Twilio does not post it again)", c.webhookReserve, mostWebhookReserve)
	}
	return nil
}

// apply puts the caps in the server's configuration.
func (c connsConfig) apply(sc *server.Config) {
	sc.MaxConnsPerAddress, sc.MaxConns, sc.WebhookReserve = c.perAddr, c.total, c.webhookReserve
}

// logged adds the caps to the "textbankd serving" line.
func (c connsConfig) logged(ev *zerolog.Event) *zerolog.Event {
	return ev.Int("max_conns_per_address", c.perAddr).Int("max_conns_per_ipv6_48", server.MaxConnsPerNetwork(c.perAddr, c.total)).
		Int("max_conns", c.total).Int("webhook_reserve", c.webhookReserve)
}

// openFiles is how many connections the caps let the server hold at once,
// for the open-file limit's warning: the reserve's are files too.
func (c connsConfig) openFiles() int { return c.total + c.webhookReserve }
