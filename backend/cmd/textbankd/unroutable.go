package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

func unroutableCommands() []command {
	return []command{
		{name: "unroutable", run: runUnroutable,
			summary: "list inbound texts no conversation claimed (a contact nobody has texted from that number), newest first, and whether an admin marked each handled",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.IntVar(&o.limit, "limit", 100, "at most this many texts (TEXTBANK_LIMIT)")
				fs.StringVar(&o.campaign, "campaign", "", "only the texts kept with this campaign: its join code (or its id, for an archived one) (TEXTBANK_CAMPAIGN)")
				return map[string]string{"limit": "TEXTBANK_LIMIT", "campaign": "TEXTBANK_CAMPAIGN"}
			}},
	}
}

// UnroutableText is one row of unroutable (--json prints a list of them).
type UnroutableText struct {
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
	// An admin marked it handled in the app: when, and who ("" while open).
	HandledAt string `json:"handledAt,omitempty"`
	HandledBy string `json:"handledBy,omitempty"`
}

func runUnroutable(ctx context.Context, c *cli, _ []string) error {
	if c.opts.limit < 1 {
		return errors.New("--limit must be at least 1")
	}
	var rows []UnroutableText
	err := c.st.View(ctx, func(tx store.Tx) error {
		camps := map[string]store.Campaign{} // by id
		var list []store.Unroutable
		var err error
		if c.opts.campaign != "" {
			// The texts its admins see in the app: kept with the campaign
			// whose pool had the number when each came.
			camp, err := server.CampaignByRef(ctx, tx, c.opts.campaign)
			if err != nil {
				return fmt.Errorf("--campaign: %w", err)
			}
			camps[camp.ID] = camp
			list, err = tx.UnroutableForCampaign(ctx, camp.ID, store.UnroutableAll, c.opts.limit)
			if err != nil {
				return err
			}
		} else if list, err = tx.ListUnroutable(ctx, c.opts.limit); err != nil {
			return err
		}
		var handlers []string
		for _, u := range list {
			if u.HandledBy != "" {
				handlers = append(handlers, u.HandledBy)
			}
		}
		users, err := tx.UsersByIDs(ctx, handlers)
		if err != nil {
			return err
		}
		rows = make([]UnroutableText, 0, len(list))
		for _, u := range list {
			r := UnroutableText{ReceivedAt: u.ReceivedAt.UTC().Format(time.RFC3339), From: u.From, To: u.To, Body: u.Body}
			if u.CampaignID != "" {
				camp, ok := camps[u.CampaignID]
				if !ok {
					if camp, err = tx.CampaignByID(ctx, u.CampaignID); err != nil {
						return fmt.Errorf("campaign of the text from %s: %w", u.From, err)
					}
					camps[u.CampaignID] = camp
				}
				r.JoinCode, r.Campaign, r.Archived = camp.JoinCode, camp.Name, !camp.Active
			}
			if u.HandledBy != "" {
				r.HandledAt, r.HandledBy = u.HandledAt.UTC().Format(time.RFC3339), users[u.HandledBy].Name
			}
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(rows)
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RECEIVED\tFROM\tTO\tCAMPAIGN\tHANDLED\tTEXT")
	for _, u := range rows {
		camp := "-"
		if u.Campaign != "" {
			camp = campaignLabel(u.JoinCode, u.Campaign, u.Archived)
		}
		handled := "-"
		if u.HandledBy != "" {
			handled = u.HandledAt + " by " + u.HandledBy
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ReceivedAt, u.From, u.To, camp, handled, strings.ReplaceAll(u.Body, "\n", " "))
	}
	return w.Flush()
}
