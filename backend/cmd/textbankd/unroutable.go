package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// runUnroutable lists inbound texts no conversation claimed (a contact
// nobody has texted from that number), newest first.
func runUnroutable(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("unroutable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "TEXTBANK_DATA", "textbank-data"), "data directory of textbankd serve (TEXTBANK_DATA)")
	limit := fs.Int("limit", 100, "at most this many texts, newest first")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *limit < 1 {
		fmt.Fprintln(stderr, "textbankd unroutable: usage: textbankd unroutable [--data DIR] [--limit N>0]")
		return 2
	}
	st, err := openStore(ctx, *data)
	if err != nil {
		fmt.Fprintf(stderr, "textbankd unroutable: %v\n", err)
		return 1
	}
	defer st.Close()
	var list []store.Unroutable
	err = st.View(ctx, func(tx store.Tx) error {
		var err error
		list, err = tx.ListUnroutable(ctx, *limit)
		return err
	})
	if err != nil {
		fmt.Fprintf(stderr, "textbankd unroutable: %v\n", err)
		return 1
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RECEIVED\tFROM\tTO\tTEXT")
	for _, u := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.ReceivedAt.Format(time.RFC3339), u.From, u.To, strings.ReplaceAll(u.Body, "\n", " "))
	}
	if err := w.Flush(); err != nil {
		return 1
	}
	return 0
}
