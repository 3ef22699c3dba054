package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/textbank/textbank/backend/server"
)

func optOutsCommands() []command {
	return []command{
		{name: "opt-outs import", args: "FILE", nargs: 1,
			summary: "opt out of an organization every number of a CSV (a phone or cell column, found as contacts import finds it), such as another texting tool's opt-out list; all or nothing. export opt-outs lists them",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.org, "org", "", "name or id of the organization (TEXTBANK_ORG)")
				env := map[string]string{"org": "TEXTBANK_ORG"}
				maps.Copy(env, csvImportFlags(fs, o))
				return env
			},
			run: runOptOutsImport},
	}
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
	fmt.Fprintf(w, "Opted out %s of %q (reason %q).\n", numbers(res.Added), res.Organization, res.Reason)
	fmt.Fprintf(w, "  rows in file:             %d (%s)\n", res.Rows, res.Encoding)
	fmt.Fprintf(w, "  numbers read from:        column %q\n", res.Column)
	fmt.Fprintf(w, "  repeated in the file:     %d skipped\n", res.Duplicates)
	fmt.Fprintf(w, "  already opted out:        %d skipped\n", res.AlreadyOptedOut)
	fmt.Fprintf(w, "  invalid:                  %d skipped\n", res.Invalid)
	if res.TimesFrom == "" {
		fmt.Fprintf(w, "  opted out at:             now (the file has no time column)\n")
	} else {
		fmt.Fprintf(w, "  opted out at:             column %q; %d not read, opted out as of now\n", res.TimesFrom, res.BadTimes)
	}
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
