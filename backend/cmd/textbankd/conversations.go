package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/textbank/textbank/backend/server"
)

func conversationsCommands() []command {
	return []command{
		{name: "conversations reassign", args: "EMAIL", needs: "--campaign CODE|ID", nargs: 1,
			summary: "hand every conversation a volunteer holds in a campaign to its organizers, as their Reassign All Conversations would (a volunteer who stopped without handing them over)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.campaign, "campaign", "", "the campaign: its join code, or its id (an archived one's too: campaign list --all) (TEXTBANK_CAMPAIGN)")
				fs.StringVar(&o.to, "to", "", "email of the organizer (an admin of the campaign) to take them; without it, each action's conversations go to the action's creator (TEXTBANK_TO)")
				fs.StringVar(&o.note, "note", "", "a note the organizers read with each conversation (TEXTBANK_NOTE)")
				return map[string]string{"campaign": "TEXTBANK_CAMPAIGN", "to": "TEXTBANK_TO", "note": "TEXTBANK_NOTE"}
			},
			run: runConversationsReassign},
	}
}

func runConversationsReassign(ctx context.Context, c *cli, args []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	res, err := c.org.ReassignConversations(ctx, args[0], c.opts.campaign, c.opts.to, c.opts.note)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	if res.Total == 0 {
		fmt.Fprintf(c.stdout, "%s holds no conversations in %q (%s); nothing was reassigned.\n", res.Email, res.Campaign, res.JoinCode)
		return nil
	}
	fmt.Fprintln(c.stdout, reassignedWords(res))
	return nil
}

// reassignedWords says what conversations reassign did, in the number
// of conversations and organizers it was ("It is in that organizer's
// inbox" for one of each, not "They are in those organizers' inboxes").
func reassignedWords(res server.Reassigned) string {
	shares := make([]string, 0, len(res.To))
	for _, t := range res.To {
		shares = append(shares, fmt.Sprintf("%d to %s (%s)", t.Conversations, t.Name, t.Email))
	}
	where := "They are in that organizer's inbox"
	switch {
	case len(res.To) > 1:
		where = "They are in those organizers' inboxes"
	case res.Total == 1:
		where = "It is in that organizer's inbox"
	}
	return fmt.Sprintf("Reassigned %s of %s in %q (%s): %s. %s, marked reassigned by the volunteer.",
		conversations(res.Total), res.Email, res.Campaign, res.JoinCode, strings.Join(shares, ", "), where)
}

// conversations says n conversations in words.
func conversations(n int) string {
	if n == 1 {
		return "1 conversation"
	}
	return fmt.Sprintf("%d conversations", n)
}
