package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server"
)

func membersCommands() []command {
	campaignFlag := func(fs *flag.FlagSet, o *cliOpts) {
		fs.StringVar(&o.campaign, "campaign", "", "the campaign: its join code, or its id (an archived one's too: campaign list --all) (TEXTBANK_CAMPAIGN)")
	}
	return []command{
		{name: "members list", summary: "list who belongs to a campaign, with their roles, oldest member first",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				campaignFlag(fs, o)
				return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
			},
			run: runMembersList},
		{name: "members remove", args: "EMAIL --yes", nargs: 1,
			summary: "take a volunteer off a campaign at once, for good: their unsent contacts go back to the pool, their queued texts are not sent, their conversations go to each action's creator, their app drops the campaign and the join code does not let them back until members readmit (without --yes: says what it would do, and does nothing)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				campaignFlag(fs, o)
				fs.BoolVar(&o.yes, "yes", false, "confirm: the removal cannot be undone by the volunteer (no variable: typed on purpose)")
				return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
			},
			run: runMembersRemove},
		{name: "members readmit", args: "EMAIL", nargs: 1,
			summary: "let a volunteer taken off a campaign join it again with its code (the conversations handed over stay where they went)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				campaignFlag(fs, o)
				return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
			},
			run: runMembersReadmit},
	}
}

func runMembersReadmit(ctx context.Context, c *cli, args []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	res, err := c.org.ReadmitMember(ctx, args[0], c.opts.campaign)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintf(c.stdout, "%s may join %q again with its join code, %s; the conversations handed over stay where they went.\n", res.Email, res.Campaign, res.JoinCode)
	return nil
}

func runMembersList(ctx context.Context, c *cli, _ []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	res, err := c.org.Members(ctx, c.opts.campaign)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintf(c.stdout, "%q (%s): %s\n", res.Campaign, res.JoinCode, count(len(res.Members), "member"))
	for _, m := range res.Members {
		joined, err := time.Parse(time.RFC3339, m.JoinedAt)
		if err != nil {
			return fmt.Errorf("member %s: %w", m.Email, err)
		}
		fmt.Fprintf(c.stdout, "  %-9s  %s <%s>  joined %s\n", m.Role, m.Name, m.Email, listingTime(joined))
	}
	return nil
}

// runMembersRemove removes only with --yes: no command gives the
// conversations back, and the volunteer cannot join again.
func runMembersRemove(ctx context.Context, c *cli, args []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	if !c.opts.yes {
		res, err := c.org.CheckRemoveMember(ctx, args[0], c.opts.campaign)
		if err != nil {
			return err
		}
		return fmt.Errorf("%s is a volunteer of %q (%s) holding %s and %s: removing them hands those to the actions' creators and the pool, and they cannot join again until members readmit; add --yes to remove them",
			res.Email, res.Campaign, res.JoinCode, conversations(res.Conversations), unsent(res.Released))
	}
	res, err := c.org.RemoveMember(ctx, args[0], c.opts.campaign)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintln(c.stdout, removedWords(res))
	return nil
}

// removedWords says what members remove did.
func removedWords(res server.MemberRemoval) string {
	s := fmt.Sprintf("%s is no longer a member of %q (%s); their app drops the campaign at its next sync.", res.Email, res.Campaign, res.JoinCode)
	if res.Released > 0 {
		s += fmt.Sprintf(" %s went back to the pool.", upperFirst(unsent(res.Released)))
	}
	if res.Cancelled > 0 {
		s += fmt.Sprintf(" %s still queued will not be sent.", upperFirst(texts(res.Cancelled)))
	}
	if res.Conversations > 0 {
		s += " " + reassignedWords(server.Reassigned{Email: res.Email, Campaign: res.Campaign, JoinCode: res.JoinCode, Total: res.Conversations, To: res.To})
	}
	return s
}

// texts says n texts in words.
func texts(n int) string {
	if n == 1 {
		return "1 text"
	}
	return fmt.Sprintf("%d texts", n)
}
