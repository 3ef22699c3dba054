package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

func unroutableCommands() []command {
	campaignFlag := func(fs *flag.FlagSet, o *cliOpts, usage string) {
		fs.StringVar(&o.campaign, "campaign", "", usage+": its join code (or its id, for an archived one) (TEXTBANK_CAMPAIGN)")
	}
	mark := func(fs *flag.FlagSet, o *cliOpts) map[string]string {
		campaignFlag(fs, o, "refuse unless the text is kept with this campaign")
		return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
	}
	return []command{
		{name: "unroutable", run: runUnroutable,
			summary: "list inbound texts no conversation claimed (a contact nobody has texted from that number), newest first, each with its ID and whether it was marked handled",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.IntVar(&o.limit, "limit", unroutableLimit, "at most this many texts (TEXTBANK_LIMIT)")
				campaignFlag(fs, o, "only the texts kept with this campaign")
				return map[string]string{"limit": "TEXTBANK_LIMIT", "campaign": "TEXTBANK_CAMPAIGN"}
			}},
		{name: "unroutable handle", args: "ID", nargs: 1, run: runUnroutableMark(true), flags: mark,
			summary: "mark the text with this ID (textbankd unroutable lists them) handled: it leaves the open texts of the app's Admin section, which says it was handled from the command line; the text is kept"},
		{name: "unroutable reopen", args: "ID", nargs: 1, run: runUnroutableMark(false), flags: mark,
			summary: "mark the handled text with this ID open again: it is back among the open texts of the app's Admin section"},
	}
}

// UnroutableText is one row of unroutable (--json prints a list of them).
type UnroutableText struct {
	ID         string `json:"id"` // what unroutable handle and reopen take
	ReceivedAt string `json:"receivedAt"`
	From       string `json:"from"`
	To         string `json:"to"`
	Body       string `json:"body"`
	// The campaign whose pool had the number when the text came ("" if
	// none is known): its admins see it in the app. A number taken over
	// since does not bring the text to the new campaign.
	JoinCode string `json:"joinCode"`
	Campaign string `json:"campaign"`
	Archived bool   `json:"archived"`
	// When it was marked handled ("" while open) and by which admin in
	// the app, or from the command line (unroutable handle: no account).
	HandledAt              string `json:"handledAt,omitempty"`
	HandledBy              string `json:"handledBy,omitempty"`
	HandledFromCommandLine bool   `json:"handledFromCommandLine,omitempty"`
	// The times again, for the text listing (listingTime).
	received, handledAt time.Time
}

func runUnroutable(ctx context.Context, c *cli, _ []string) error {
	if c.opts.limit < 1 {
		return errors.New("--limit must be at least 1")
	}
	var rows []UnroutableText
	var campaign string // the --campaign's label, for the empty list's line
	// One text past the limit tells whether the list was cut short.
	fetch := min(c.opts.limit, math.MaxInt-1) + 1
	err := c.st.View(ctx, func(tx store.Tx) error {
		var list []store.Unroutable
		var err error
		if c.opts.campaign != "" {
			// The texts its admins see in the app: kept with the campaign
			// whose pool had the number when each came.
			camp, err := server.CampaignByRef(ctx, tx, c.opts.campaign)
			if err != nil {
				return fmt.Errorf("--campaign: %w", err)
			}
			campaign = campaignLabel(camp.JoinCode, camp.Name, !camp.Active)
			list, err = tx.UnroutableForCampaign(ctx, camp.ID, store.MarkAll, fetch)
			if err != nil {
				return err
			}
		} else if list, err = tx.ListUnroutable(ctx, fetch); err != nil {
			return err
		}
		rows, err = unroutableRows(ctx, tx, list)
		return err
	})
	if err != nil {
		return err
	}
	more := len(rows) > c.opts.limit
	if more {
		rows = rows[:c.opts.limit]
		// On stderr, so that --json stays a list: older texts exist
		// beyond the limit, and nothing else would say so.
		defer fmt.Fprintf(c.stderr, "textbankd unroutable: these are the newest %d; older ones are not shown (--limit %d shows more)\n",
			c.opts.limit, moreThan(c.opts.limit))
	}
	if c.opts.json {
		c.printJSON(rows)
		return nil
	}
	if len(rows) == 0 {
		if campaign != "" {
			fmt.Fprintf(c.stdout, "No unroutable texts kept with campaign %s.\n", campaign)
		} else {
			fmt.Fprintln(c.stdout, "No unroutable texts: every text to a campaign number has gone to its conversation.")
		}
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tRECEIVED\tFROM\tTO\tCAMPAIGN\tHANDLED\tTEXT")
	for _, u := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, listingTime(u.received), u.From, u.To, u.campaignLabel(), u.handled(),
			strings.ReplaceAll(u.Body, "\n", " "))
	}
	return w.Flush()
}

// unroutableLimit is unroutable's --limit when none is given.
const unroutableLimit = 100

// moreThan is the --limit a list cut at limit suggests: a round number
// above it, never under the default (a --limit 1 that suggested 10 would
// offer fewer than no --limit at all gives), nor past what an int holds.
func moreThan(limit int) int {
	next := unroutableLimit
	for next <= limit && next <= math.MaxInt/10 {
		next *= 10
	}
	return max(next, limit)
}

// unroutableRows are list as unroutable shows them: with the campaign
// each is kept with and who marked it handled.
func unroutableRows(ctx context.Context, tx store.Tx, list []store.Unroutable) ([]UnroutableText, error) {
	var handlers []string
	for _, u := range list {
		if u.Handled.By != "" {
			handlers = append(handlers, u.Handled.By)
		}
	}
	users, err := tx.UsersByIDs(ctx, handlers)
	if err != nil {
		return nil, err
	}
	camps := map[string]store.Campaign{} // by id
	rows := make([]UnroutableText, 0, len(list))
	for _, u := range list {
		r := UnroutableText{ID: u.ID, ReceivedAt: u.ReceivedAt.UTC().Format(time.RFC3339), From: u.From, To: u.To, Body: u.Body,
			received: u.ReceivedAt, handledAt: u.Handled.At}
		if u.CampaignID != "" {
			camp, ok := camps[u.CampaignID]
			if !ok {
				if camp, err = tx.CampaignByID(ctx, u.CampaignID); err != nil {
					return nil, fmt.Errorf("campaign of the text from %s: %w", u.From, err)
				}
				camps[u.CampaignID] = camp
			}
			r.JoinCode, r.Campaign, r.Archived = camp.JoinCode, camp.Name, !camp.Active
		}
		if !u.Handled.At.IsZero() {
			r.HandledAt = u.Handled.At.UTC().Format(time.RFC3339)
			by, console := u.Handled.Marker()
			r.HandledFromCommandLine = console
			if !console {
				r.HandledBy = users[by].Name
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// campaignLabel is the CAMPAIGN column: "-" for none known.
func (u UnroutableText) campaignLabel() string {
	if u.Campaign == "" {
		return "-"
	}
	return campaignLabel(u.JoinCode, u.Campaign, u.Archived)
}

// handled is the HANDLED column: "-" while open.
func (u UnroutableText) handled() string {
	switch {
	case u.HandledAt == "":
		return "-"
	case u.HandledFromCommandLine:
		return listingTime(u.handledAt) + " from the command line"
	}
	return listingTime(u.handledAt) + " by " + u.HandledBy
}
