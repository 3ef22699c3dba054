package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server"
)

func optOutsCommands() []command {
	return []command{
		{name: "opt-outs import", args: "FILE", needs: "--org NAME", nargs: 1,
			summary: "opt out of an organization every number of a CSV (a phone or cell column, found as contacts import finds it), such as another texting tool's opt-out list; all or nothing. export opt-outs lists them",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.org, "org", "", "name or id of the organization (TEXTBANK_ORG)")
				env := map[string]string{"org": "TEXTBANK_ORG"}
				maps.Copy(env, csvImportFlags(fs, o))
				return env
			},
			run: runOptOutsImport},
		{name: "opt-outs undo", args: "PHONE", needs: "--org NAME --by EMAIL", nargs: 1,
			summary: "lift an organization's opt-out of a number that a volunteer's report filed by mistake (Undo Opt Out in the app), in an admin's name; one the contact asked for (STOP), a block's or an import's is refused",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.org, "org", "", "name or id of the organization (TEXTBANK_ORG)")
				fs.StringVar(&o.by, "by", "", "email of an admin of one of the organization's campaigns, in whose name the opt-out is lifted (no variable: typed each time, so one left in the environment never records a lift in the wrong admin's name)")
				fs.StringVar(&o.region, "region", phone.DefaultRegion, "region of a number written without a country code, e.g. US, CA, GB (TEXTBANK_REGION)")
				return map[string]string{"org": "TEXTBANK_ORG", "region": "TEXTBANK_REGION"}
			},
			run: runOptOutsUndo},
	}
}

func runOptOutsUndo(ctx context.Context, c *cli, args []string) error {
	if c.opts.org == "" {
		return errors.New(nameTheOrg)
	}
	res, err := c.org.UndoOptOut(ctx, server.UndoOptOutRequest{Org: c.opts.org, Phone: args[0], By: c.opts.by, Region: c.opts.region})
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintf(c.stdout, "Undid the opt-out of %s in %q (%s, %s), in the name of %s <%s>: the organization's campaigns may text it again, and the volunteer holding its conversation can reply.\n",
		res.Phone, res.Organization, res.Reason, listingTime(res.OptedOutAt), res.LiftedBy, res.LiftedByEmail)
	fmt.Fprintf(c.stdout, "textbankd export opt-out-lifts --org %q%s lists it.\n", res.Organization, c.where())
	return nil
}

// nameTheOrg is the answer to an opt-out command without --org.
const nameTheOrg = "name the organization with --org (campaign list shows each campaign's organization)"

func runOptOutsImport(ctx context.Context, c *cli, args []string) error {
	if c.opts.org == "" {
		return errors.New(nameTheOrg)
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := c.org.ImportOptOuts(ctx, server.OptOutImportRequest{Org: c.opts.org, CSV: f,
		Source: filepath.Base(args[0]), Region: c.opts.region, SkipInvalid: c.opts.skipInvalid})
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	w := c.stdout
	fmt.Fprintln(w, importHeadline(res))
	fmt.Fprintf(w, "  rows in file:             %d (%s)\n", res.Rows, res.Encoding)
	fmt.Fprintf(w, "  numbers read from:        column %q\n", res.Column)
	fmt.Fprintf(w, "  repeated in the file:     %d skipped\n", res.Duplicates)
	fmt.Fprintf(w, "  already opted out:        %d skipped\n", res.AlreadyOptedOut)
	fmt.Fprintf(w, "  invalid:                  %d skipped\n", res.Invalid)
	fmt.Fprintf(w, "  opted out at:             %s\n", timesWords(res))
	printSkipped(w, res.ProblemLines)
	for i, p := range res.BadTimeLines {
		if i == server.MaxProblemsShown {
			fmt.Fprintf(w, "  and %d more times not read (--json lists every one)\n", len(res.BadTimeLines)-i)
			break
		}
		fmt.Fprintf(w, "  opted out as of now, %s\n", p)
	}
	for i, r := range res.RepeatedLines {
		if i == maxRepeatedShown {
			fmt.Fprintf(w, "  and %d more repeated (--json lists every one)\n", len(res.RepeatedLines)-i)
			break
		}
		fmt.Fprintf(w, "  repeated %s\n", r)
	}
	fmt.Fprintf(w, "textbankd export opt-outs --org %q%s lists the organization's opt-outs.\n", res.Organization, c.where())
	return nil
}

// numbers is n with its noun: "1 number", "2 numbers".
func numbers(n int) string {
	if n == 1 {
		return "1 number"
	}
	return fmt.Sprintf("%d numbers", n)
}

// importHeadline is the import summary's first line. A list imported
// again opts out nothing new: "Opted out 0 numbers" beside a reason no
// number got read as a failed import.
func importHeadline(res server.OptOutImportResult) string {
	switch {
	case res.Added > 0:
		return fmt.Sprintf("Opted out %s of %q (reason %q).", numbers(res.Added), res.Organization, res.Reason)
	case res.AlreadyOptedOut == 1:
		return fmt.Sprintf("Nothing new opted out of %q: the 1 number read was already opted out, and keeps its time.", res.Organization)
	case res.AlreadyOptedOut > 1:
		return fmt.Sprintf("Nothing new opted out of %q: all %d numbers read were already opted out, and keep their times.",
			res.Organization, res.AlreadyOptedOut)
	}
	return fmt.Sprintf("Nothing new opted out of %q: no number in the file was read.", res.Organization)
}

// timesWords says where an opt-out list's times came from, for the numbers
// the import opted out: "every time in it read" only when none of them was
// opted out as of now, for a time not
// read or an empty cell ("0 not read, opted out as of now" read as every
// number opted out as of now; "every time in it read" beside empty cells,
// as every number keeping its date).
func timesWords(res server.OptOutImportResult) string {
	if res.Added == 0 {
		// No time was used: the numbers already opted out keep theirs.
		return "no number opted out now"
	}
	if res.TimesFrom == "" {
		return "now (the file has no time column)"
	}
	var now []string
	if res.BadTimes > 0 {
		now = append(now, fmt.Sprintf("%d not read", res.BadTimes))
	}
	if res.NoTimes > 0 {
		now = append(now, fmt.Sprintf("%d empty", res.NoTimes))
	}
	if len(now) == 0 {
		return fmt.Sprintf("column %q; every time in it read", res.TimesFrom)
	}
	return fmt.Sprintf("column %q; %s, opted out as of now", res.TimesFrom, strings.Join(now, " and "))
}
