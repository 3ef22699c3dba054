package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

func adminCommands() []command {
	campaignFlag := func(fs *flag.FlagSet, o *cliOpts) map[string]string {
		fs.StringVar(&o.campaign, "campaign", "", "the active campaign: its join code or id (TEXTBANK_CAMPAIGN)")
		return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
	}
	return []command{
		{name: "admin add", args: "EMAIL", needs: "--campaign CODE|ID", nargs: 1, flags: campaignFlag, run: runAdmin(true),
			summary: "make an account an admin of a campaign: admins receive reassigned conversations and see unroutable texts"},
		{name: "admin remove", args: "EMAIL", needs: "--campaign CODE|ID", nargs: 1, flags: campaignFlag, run: runAdmin(false),
			summary: "make an admin a volunteer again (not the last admin); their actions' reassignments go to another admin"},
	}
}

func runAdmin(add bool) func(ctx context.Context, c *cli, args []string) error {
	return func(ctx context.Context, c *cli, args []string) error {
		if c.opts.campaign == "" {
			return errNoCampaign
		}
		change, err := c.org.RemoveAdmin, error(nil)
		if add {
			change = c.org.AddAdmin
		}
		res, err := change(ctx, args[0], c.opts.campaign)
		if err != nil {
			return err
		}
		if c.opts.json {
			c.printJSON(res)
			return nil
		}
		switch {
		case !res.Changed:
			fmt.Fprintf(c.stdout, "%s is already an admin of %q (%s).\n", res.Email, res.Campaign, res.JoinCode)
		case add:
			fmt.Fprintf(c.stdout, "%s is now an admin of %q (%s).\n", res.Email, res.Campaign, res.JoinCode)
		default:
			fmt.Fprintf(c.stdout, "%s is now a volunteer of %q (%s).\n", res.Email, res.Campaign, res.JoinCode)
			if len(res.ActionsMoved) > 0 {
				fmt.Fprintf(c.stdout, "Reassigned conversations of %s now go to %s.\n", strings.Join(res.ActionsMoved, ", "), res.MovedTo)
			}
			// campaign update makes everyone the file lists an admin.
			fmt.Fprintf(c.stdout, "Take %s out of the campaign file's admins (and creators) too: campaign update makes everyone listed there an admin again.\n", res.Email)
		}
		return nil
	}
}
