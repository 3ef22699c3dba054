package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server"
)

func campaignCommands() []command {
	return []command{
		{name: "campaign create", args: "FILE", nargs: 1,
			summary: "create a campaign and its actions from a YAML or JSON file (see examples/campaign.yaml); a file with any problem changes nothing",
			run:     runCampaignFile(false)},
		{name: "campaign update", args: "FILE", nargs: 1,
			summary: "change the campaign with the file's join code: actions matched by id or title are changed, others added",
			run:     runCampaignFile(true)},
		{name: "campaign list", summary: "list active campaigns (--all: archived ones too)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.BoolVar(&o.all, "all", false, "include archived campaigns (TEXTBANK_ALL)")
				return map[string]string{"all": "TEXTBANK_ALL"}
			},
			run: runCampaignList},
		{name: "campaign archive", args: "CODE|ID --yes", nargs: 1,
			summary: "archive the active campaign with this join code (or id) for good: nobody can join it any more and the code is free again (without --yes: says which campaign that is, and archives nothing)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.BoolVar(&o.yes, "yes", false, "confirm: the archive cannot be undone (no variable: typed on purpose)")
				return nil // no environment variable: an archive is typed on purpose
			},
			run: runCampaignArchive},
		{name: "campaign new-code", args: "CODE|ID --yes", nargs: 1,
			summary: "give the active campaign with this join code (or id) a new one, for good: its members keep their access, and the old code joins nobody (without --yes: says which campaign that is, and changes nothing)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.BoolVar(&o.yes, "yes", false, "confirm: the old code cannot be given back (no variable: typed on purpose)")
				return nil // no environment variable: a new code is typed on purpose
			},
			run: runCampaignNewCode},
	}
}

func runCampaignFile(update bool) func(ctx context.Context, c *cli, args []string) error {
	return func(ctx context.Context, c *cli, args []string) error {
		data, err := os.ReadFile(args[0])
		if err != nil {
			return err
		}
		f, err := campaignfile.Parse(data)
		if err != nil {
			return err
		}
		var res server.CampaignResult
		if update {
			res, err = c.org.UpdateCampaign(ctx, f)
		} else {
			res, err = c.org.CreateCampaign(ctx, f)
		}
		if err != nil {
			return err
		}
		if c.opts.json {
			c.printJSON(res)
			return nil
		}
		verb := "Created"
		if update {
			verb = "Updated"
		}
		fmt.Fprintf(c.stdout, "%s campaign %q (organization %q), join code %s, id %s\n", verb, res.Name, res.Organization, res.JoinCode, res.CampaignID)
		for _, ch := range res.Changes {
			fmt.Fprintf(c.stdout, "  %s\n", ch)
		}
		for _, a := range res.Actions {
			fmt.Fprintf(c.stdout, "  action %s %q: %s; %s\n", a.ID, a.Title, actionStatus(a), replies(a))
			for _, ch := range a.Changes {
				fmt.Fprintf(c.stdout, "    %s\n", ch)
			}
			if a.ReassignsTo != "" {
				fmt.Fprintf(c.stdout, "    its reassigned conversations now go to %s (the action's creator)\n", a.ReassignsTo)
			}
		}
		// An update makes the file true: someone admin remove made a
		// volunteer is an admin again while the file lists them.
		for _, e := range res.AdminsAdded {
			fmt.Fprintf(c.stdout, "%s is now an admin of the campaign (listed in campaign.admins)\n", e)
		}
		if res.MadePrivate {
			// Search showed the code to anyone while the campaign was
			// public: private alone keeps none of them out.
			fmt.Fprintf(c.stdout, "The campaign is private now, but its join code %s was shown to anyone who searched while it was public, "+
				"and still lets them join: textbankd campaign new-code%s %s --yes gives it a new one (its members keep their access)\n",
				res.JoinCode, c.where(), res.JoinCode)
		}
		if update && nothingChanged(res) {
			fmt.Fprintln(c.stdout, "Nothing changed: the campaign and its actions were already as the file says.")
		}
		if !update && len(res.Actions) > 0 {
			// A new campaign has no sending numbers: no text goes out
			// until it does, whatever contacts are loaded.
			fmt.Fprintf(c.stdout, "Next: textbankd contacts import%s --action %s contacts.csv\n", c.where(), res.Actions[0].ID)
			fmt.Fprintf(c.stdout, "and:  textbankd numbers add%s --campaign %s +1NUMBER... (the campaign's sending numbers)\n", c.where(), res.JoinCode)
		}
		return nil
	}
}

// noCampaigns says that no campaign is listed, and, when some are only
// archived, how to see them: "No campaigns yet" read as if they were lost.
func (c *cli) noCampaigns(ctx context.Context) error {
	archived := 0
	if !c.opts.all {
		all, err := c.org.ListCampaigns(ctx, true)
		if err != nil {
			return err
		}
		archived = len(all)
	}
	if archived == 0 {
		fmt.Fprintln(c.stdout, "No campaigns yet: textbankd campaign create FILE makes one.")
		return nil
	}
	what := "1 archived campaign"
	if archived > 1 {
		what = fmt.Sprintf("%d archived campaigns", archived)
	}
	fmt.Fprintf(c.stdout, "No active campaigns (textbankd campaign list --all%s shows the %s); textbankd campaign create FILE makes a new one.\n",
		c.where(), what)
	return nil
}

func runCampaignList(ctx context.Context, c *cli, _ []string) error {
	list, err := c.org.ListCampaigns(ctx, c.opts.all)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(list)
		return nil
	}
	if len(list) == 0 {
		return c.noCampaigns(ctx)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	// SEARCH JOINS: joined through search / refused, and the limit an hour.
	fmt.Fprintln(tw, "CODE\tCAMPAIGN\tORGANIZATION\tSTATE\tPUBLIC\tACTIONS\tCONTACTS\tVOLUNTEERS\tADMINS\tSEARCH JOINS\tID")
	for _, l := range list {
		state := "active"
		if !l.Active {
			state = "archived"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", l.JoinCode, l.Name, l.Organization, state, yesNo(l.Public),
			l.Actions, l.Contacts, l.Volunteers, l.Admins, searchJoinsWords(l), l.ID)
	}
	return tw.Flush()
}

// searchJoinsWords is campaign list's SEARCH JOINS: a campaign that is not
// public is found by nobody who lacks its code, so it has no limit to show
// ("20/h" there read as strangers let in), only what it counted while it
// was public, if anything.
func searchJoinsWords(l server.CampaignListing) string {
	switch {
	case l.Public:
		return fmt.Sprintf("%d joined, %d refused (%d/h)", l.SearchJoins, l.SearchJoinsRefused, l.SearchJoinsPerHour)
	case l.SearchJoins == 0 && l.SearchJoinsRefused == 0:
		return "- (not public)"
	default:
		return fmt.Sprintf("%d joined, %d refused (not public now)", l.SearchJoins, l.SearchJoinsRefused)
	}
}

// runCampaignArchive archives only with --yes: no command brings a
// campaign back, and a mistyped code can be another active campaign's, so
// without it the campaign the code names is described and nothing changes.
func runCampaignArchive(ctx context.Context, c *cli, args []string) error {
	if !c.opts.yes {
		l, err := c.org.ActiveCampaignListing(ctx, args[0])
		if err != nil {
			return err
		}
		return fmt.Errorf("join code %s is %q of %s (%s, %s, %s): archiving it is for good (nobody can join it or be handed its contacts again, and no command brings it back); add --yes to archive it",
			l.JoinCode, l.Name, l.Organization, count(l.Actions, "action"), count(l.Contacts, "contact"), count(l.Volunteers, "volunteer"))
	}
	res, err := c.org.ArchiveCampaign(ctx, args[0])
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintf(c.stdout, "Archived campaign %q; join code %s is free again.\n", res.Name, res.JoinCode)
	// The final export usually comes next, and the code no longer finds the
	// campaign: say what does.
	fmt.Fprintf(c.stdout, "Its conversations and results stay: give stats and the exports its id from now on, not the code (--campaign %s).\n", res.ID)
	return nil
}

// replies says how volunteers may answer in an action. Typing their own
// replies is off unless the file says allow_free_text: true, so an
// organizer who left it out (or whose file was written when it defaulted
// to true) sees that at once, and one whose action leaves no way to reply.
// actionStatus says what an update did to an action: "updated" was said
// of each action the file named, whether it changed it or not.
func actionStatus(a server.ActionOutcome) string {
	switch {
	case a.Status == "kept":
		return "not in the file, left as it was (an update removes no action)"
	case a.Status != "updated":
		return a.Status
	case actionChanged(a):
		return "changed"
	default:
		return "nothing changed"
	}
}

func actionChanged(a server.ActionOutcome) bool {
	return len(a.Changes) > 0 || a.FreeTextChanged || a.ReassignsTo != ""
}

// nothingChanged: the update found the campaign as its file says.
func nothingChanged(res server.CampaignResult) bool {
	if len(res.Changes) > 0 || len(res.AdminsAdded) > 0 || res.MadePrivate {
		return false
	}
	for _, a := range res.Actions {
		if a.Status == "created" || (a.Status == "updated" && actionChanged(a)) {
			return false
		}
	}
	return true
}

func replies(a server.ActionOutcome) string {
	scripts := "its response script"
	if a.ResponseScripts != 1 {
		scripts = fmt.Sprintf("its %d response scripts", a.ResponseScripts)
	}
	switch {
	case a.AllowFreeText && a.FreeTextChanged:
		return "volunteers may now type their own replies"
	case a.AllowFreeText:
		return "volunteers may type their own replies"
	case a.ResponseScripts == 0 && a.FreeTextChanged:
		return "volunteers may no longer type their own replies, and it has no response scripts: they cannot reply"
	case a.ResponseScripts == 0:
		return "volunteers cannot reply: it has no response scripts, and typing needs allow_free_text: true"
	case a.FreeTextChanged:
		return "volunteers may no longer type their own replies, only send " + scripts
	default:
		return "volunteers reply only with " + scripts + " (allow_free_text: true lets them type their own)"
	}
}

// count is "1 action", "3 contacts".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
