package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// maxUnroutableID bounds a text's id (ours are UUIDs), as the API does.
const maxUnroutableID = api.MaxID

// runUnroutableMark is unroutable handle (handled) and unroutable reopen:
// the text is marked from the command line, which is no account, so no
// admin is recorded (the app says "Handled from the command line").
func runUnroutableMark(handled bool) func(ctx context.Context, c *cli, args []string) error {
	return func(ctx context.Context, c *cli, args []string) error {
		id, err := unroutableID(args[0])
		if err != nil {
			return err
		}
		var row UnroutableText
		changed := false
		err = c.st.Update(ctx, func(tx store.Tx) error {
			x, err := tx.UnroutableByID(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no unroutable text has ID %s (textbankd unroutable lists them with their IDs); nothing was changed", id)
			}
			if err != nil {
				return err
			}
			if c.opts.campaign != "" {
				camp, err := server.CampaignByRef(ctx, tx, c.opts.campaign)
				if err != nil {
					return fmt.Errorf("--campaign: %w; nothing was changed", err)
				}
				if x.CampaignID != camp.ID {
					return fmt.Errorf("the text %s is not kept with campaign %s %s (textbankd unroutable --campaign %s lists those); nothing was changed",
						id, camp.JoinCode, camp.Name, c.opts.campaign)
				}
			}
			if changed = x.Handled.At.IsZero() == handled; changed {
				if err := tx.SetMarked(ctx, store.UnroutableMarks, id, handled, "", time.Now().UTC()); err != nil {
					return err
				}
				// A running server's open Admin screens show it at once
				// (on SQLite its feed watcher notices this process wrote).
				if x.CampaignID != "" {
					tx.AdminChanged(x.CampaignID)
				}
				if x, err = tx.UnroutableByID(ctx, id); err != nil {
					return err
				}
			}
			rows, err := unroutableRows(ctx, tx, []store.Unroutable{x})
			if err != nil {
				return err
			}
			row = rows[0]
			return nil
		})
		if err != nil {
			return err
		}
		if c.opts.json {
			c.printJSON(row)
			return nil
		}
		what := fmt.Sprintf("The text from %s to %s", row.From, row.To)
		switch {
		case changed && handled:
			fmt.Fprintf(c.stdout, "%s is marked handled (from the command line, %s).\n", what, listingTime(row.handledAt))
		case changed:
			fmt.Fprintf(c.stdout, "%s is open again.\n", what)
		case handled:
			fmt.Fprintf(c.stdout, "%s was already marked handled (%s); unchanged.\n", what, row.handled())
		default:
			fmt.Fprintf(c.stdout, "%s was not marked handled; unchanged.\n", what)
		}
		return nil
	}
}

// unroutableID is a text's id as typed, or why it cannot be one.
func unroutableID(s string) (string, error) {
	id := strings.TrimSpace(s)
	switch {
	case id == "":
		return "", errors.New("give the text's ID (the ID column of textbankd unroutable)")
	case len(id) > maxUnroutableID:
		return "", fmt.Errorf("the ID is %d characters long, more than a text's ID can be (%d); nothing was changed", len(id), maxUnroutableID)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "", fmt.Errorf("%q is not a text's ID: IDs are letters, digits and dashes (the ID column of textbankd unroutable); nothing was changed", id)
		}
	}
	return id, nil
}
