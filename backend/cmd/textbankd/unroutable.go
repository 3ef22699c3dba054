package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func unroutableCommands() []command {
	return []command{
		{name: "unroutable", run: runUnroutable,
			summary: "list inbound texts no conversation claimed (a contact nobody has texted from that number), newest first",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.IntVar(&o.limit, "limit", 100, "at most this many texts (TEXTBANK_LIMIT)")
				return map[string]string{"limit": "TEXTBANK_LIMIT"}
			}},
	}
}

// UnroutableText is one row of unroutable (--json prints a list of them).
type UnroutableText struct {
	ReceivedAt string `json:"received_at"`
	From       string `json:"from"`
	To         string `json:"to"`
	Body       string `json:"body"`
}

func runUnroutable(ctx context.Context, c *cli, _ []string) error {
	if c.opts.limit < 1 {
		return errors.New("--limit must be at least 1")
	}
	var list []store.Unroutable
	err := c.st.View(ctx, func(tx store.Tx) error {
		var err error
		list, err = tx.ListUnroutable(ctx, c.opts.limit)
		return err
	})
	if err != nil {
		return err
	}
	rows := make([]UnroutableText, 0, len(list))
	for _, u := range list {
		rows = append(rows, UnroutableText{ReceivedAt: u.ReceivedAt.UTC().Format(time.RFC3339), From: u.From, To: u.To, Body: u.Body})
	}
	if c.opts.json {
		c.printJSON(rows)
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RECEIVED\tFROM\tTO\tTEXT")
	for _, u := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.ReceivedAt, u.From, u.To, strings.ReplaceAll(u.Body, "\n", " "))
	}
	return w.Flush()
}
