package main

import (
	"context"
	"fmt"
)

// runCampaignNewCode gives a campaign a new join code only with --yes:
// the old code is retired for good (never drawn again, and no command
// gives it back), and whoever was told it and has not joined needs the
// new one; a mistyped code can be another active campaign's. Without
// --yes the campaign the code names is described and nothing changes.
func runCampaignNewCode(ctx context.Context, c *cli, args []string) error {
	if !c.opts.yes {
		l, err := c.org.ActiveCampaignListing(ctx, args[0])
		if err != nil {
			return err
		}
		return fmt.Errorf("join code %s is %q of %s (%s, %s): a new code is for good (%s then joins nobody, and no command gives it back; "+
			"its members keep their access, and anyone still to join needs the new code); add --yes to give it one",
			l.JoinCode, l.Name, l.Organization, count(l.Volunteers, "volunteer"), count(l.Admins, "admin"), l.JoinCode)
	}
	res, err := c.org.NewJoinCode(ctx, args[0])
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintf(c.stdout, "Campaign %q (organization %q) has join code %s now; %s joins nobody any more.\n", res.Name, res.Organization, res.JoinCode, res.OldJoinCode)
	fmt.Fprintf(c.stdout, "Its %s and %s keep their access; give the new code to anyone still to join.\n", count(res.Volunteers, "volunteer"), count(res.Admins, "admin"))
	fmt.Fprintf(c.stdout, "Write join_code: \"%s\" in the campaign's file: campaign update finds the campaign by it.\n", res.JoinCode)
	return nil
}
