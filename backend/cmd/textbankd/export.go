package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

func exportCommands() []command {
	actionOut := func(fs *flag.FlagSet, o *cliOpts) map[string]string {
		fs.StringVar(&o.action, "action", "", "id of the action (TEXTBANK_ACTION)")
		fs.StringVar(&o.out, "out", "", "write the CSV to this file instead of stdout (TEXTBANK_OUT)")
		return map[string]string{"action": "TEXTBANK_ACTION", "out": "TEXTBANK_OUT"}
	}
	return []command{
		{name: "export reports", summary: "CSV of every report submission of an action: contact, external id, volunteer, initial script, each report field, notes, opt-out",
			flags: actionOut, run: runExport("reports")},
		{name: "export messages", summary: "CSV of every message of an action: contact, external id, direction, body, status, volunteer, initial script",
			flags: actionOut, run: runExport("messages")},
		{name: "export opt-outs", summary: "CSV of an organization's opt-outs",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.org, "org", "", "name or id of the organization (TEXTBANK_ORG)")
				fs.StringVar(&o.out, "out", "", "write the CSV to this file instead of stdout (TEXTBANK_OUT)")
				return map[string]string{"org": "TEXTBANK_ORG", "out": "TEXTBANK_OUT"}
			},
			run: runExport("opt-outs")},
	}
}

func runExport(what string) func(ctx context.Context, c *cli, args []string) error {
	return func(ctx context.Context, c *cli, _ []string) error {
		if what == "opt-outs" && c.opts.org == "" {
			return errors.New("name the organization with --org")
		}
		if what != "opt-outs" && c.opts.action == "" {
			return errors.New("name the action with --action ID (campaign create --json and stats show ids)")
		}
		w, closeOut, err := c.output()
		if err != nil {
			return err
		}
		var n int
		var export func(context.Context, string, io.Writer) (int, error)
		switch what {
		case "reports":
			export = c.org.ExportReports
		case "messages":
			export = c.org.ExportMessages
		default:
			export = c.org.ExportOptOuts
		}
		key := c.opts.action
		if what == "opt-outs" {
			key = c.opts.org
		}
		n, err = export(ctx, key, w)
		if cerr := closeOut(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if c.opts.out != "" && c.opts.out != "-" {
			if c.opts.json {
				c.printJSON(map[string]any{"rows": n, "out": c.opts.out})
			} else {
				fmt.Fprintf(c.stdout, "Wrote %d %s to %s\n", n, what, c.opts.out)
			}
		}
		return nil
	}
}
