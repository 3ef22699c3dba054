package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// actionFlags names an action as contacts import does: by id, or by its
// campaign's join code and its title (an organizer seldom keeps the id).
func actionFlags(fs *flag.FlagSet, o *cliOpts) map[string]string {
	fs.StringVar(&o.action, "action", "", "id of the action (TEXTBANK_ACTION)")
	fs.StringVar(&o.campaign, "campaign", "", "join code of the action's campaign (or its id, for an archived one), with --action-title (TEXTBANK_CAMPAIGN)")
	fs.StringVar(&o.title, "action-title", "", "title of the action in --campaign (TEXTBANK_ACTION_TITLE)")
	return map[string]string{"action": "TEXTBANK_ACTION", "campaign": "TEXTBANK_CAMPAIGN", "action-title": "TEXTBANK_ACTION_TITLE"}
}

// actionID is --action, or the action --campaign and --action-title name
// (given with --action, they must name it too).
func (c *cli) actionID(ctx context.Context) (string, error) {
	return c.org.ActionID(ctx, c.opts.action, c.opts.campaign, c.opts.title)
}

func exportCommands() []command {
	outFlag := func(fs *flag.FlagSet, o *cliOpts) {
		fs.StringVar(&o.out, "out", "", "write the CSV to this file instead of stdout; a failed export leaves the file as it was (TEXTBANK_OUT)")
	}
	actionOut := func(fs *flag.FlagSet, o *cliOpts) map[string]string {
		env := actionFlags(fs, o)
		outFlag(fs, o)
		env["out"] = "TEXTBANK_OUT"
		return env
	}
	return []command{
		{name: "export reports", needs: "--action ID (or --campaign CODE --action-title TITLE)", summary: "CSV of every report submission of an action (--latest: each conversation's latest): contact, external id, the contact list's own columns, volunteer, initial script, each report field, notes, opt-out, the fields it filed",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				env := actionOut(fs, o)
				fs.BoolVar(&o.latest, "latest", false, "one row per conversation, its latest report (the values its thread shows), for matching results back to a voter file (TEXTBANK_LATEST)")
				env["latest"] = "TEXTBANK_LATEST"
				return env
			},
			run: runExport("reports")},
		{name: "export messages", needs: "--action ID (or --campaign CODE --action-title TITLE)", summary: "CSV of every message of an action: contact, external id, the contact list's own columns, direction, body, status, volunteer, initial script",
			flags: actionOut, run: runExport("messages")},
		{name: "export opt-outs", needs: "--org NAME", summary: "CSV of the numbers opted out of an organization now (a number an admin opted back in is not listed: export opt-out-lifts lists those)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.org, "org", "", "name or id of the organization (TEXTBANK_ORG)")
				outFlag(fs, o)
				return map[string]string{"org": "TEXTBANK_ORG", "out": "TEXTBANK_OUT"}
			},
			run: runExport("opt-outs")},
		{name: "export opt-out-lifts", needs: "--org NAME", summary: "CSV of the opt-outs an organization's admins lifted, on a contact's START (Opt Back In) or as a report's mistake (Undo Opt Out, textbankd opt-outs undo): the opt-out, the START if any, who lifted it and when",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.org, "org", "", "name or id of the organization (TEXTBANK_ORG)")
				outFlag(fs, o)
				return map[string]string{"org": "TEXTBANK_ORG", "out": "TEXTBANK_OUT"}
			},
			run: runExport("opt-out-lifts")},
	}
}

func runExport(what string) func(ctx context.Context, c *cli, args []string) error {
	return func(ctx context.Context, c *cli, _ []string) error {
		var key string
		var export func(context.Context, string, io.Writer) (int, error)
		switch what {
		case "reports", "messages":
			id, err := c.actionID(ctx)
			if err != nil {
				return err
			}
			key, export = id, c.org.ExportReports
			if c.opts.latest {
				export = c.org.ExportLatestReports
			}
			if what == "messages" {
				export = c.org.ExportMessages
			}
		default:
			if c.opts.org == "" {
				return errors.New(nameTheOrg)
			}
			key, export = c.opts.org, c.org.ExportOptOuts
			if what == "opt-out-lifts" {
				export = c.org.ExportLiftedOptOuts
			}
		}
		w, finish, err := c.output()
		if err != nil {
			return err
		}
		sw := &streamed{w: w}
		n, err := export(ctx, key, sw)
		if err = finish(err); err != nil {
			if sw.bytes > 0 && (c.opts.out == "" || c.opts.out == "-") {
				return incompleteOnStdout(n, sw, err)
			}
			return err
		}
		if c.opts.out != "" && c.opts.out != "-" {
			if c.opts.json {
				c.printJSON(map[string]any{"rows": n, "out": c.opts.out})
			} else {
				fmt.Fprintf(c.stdout, "Wrote %d %s to %s\n", n, strings.ReplaceAll(what, "opt-out-lifts", "lifted opt-outs"), c.opts.out)
			}
		}
		return nil
	}
}

// streamed counts what an export wrote, so that one failing partway on
// stdout (--out is whole or nothing) can say what the reader got.
type streamed struct {
	w     io.Writer
	bytes int
	err   error // the first write that failed
}

func (s *streamed) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.bytes += n
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// incompleteOnStdout is the error of an export that failed after some of
// its CSV went to stdout: said so, for whoever reads stderr, since the
// part written looks like a whole export to a spreadsheet and a script
// that does not check the exit status. rows is how many rows (after the
// header) the export wrote out whole (flushCSV), unless stdout itself
// failed.
func incompleteOnStdout(rows int, sw *streamed, err error) error {
	if sw.err != nil {
		return stdoutTaken{fmt.Errorf("the CSV on stdout is incomplete: writing it failed partway: %w", err)}
	}
	noun := "rows"
	if rows == 1 {
		noun = "row"
	}
	return stdoutTaken{fmt.Errorf("the CSV on stdout is incomplete: it stops after its header and %d %s, where the export failed; do not use it "+
		"(export again, or with --out FILE, which is written whole or not at all): %w", rows, noun, err)}
}

// stdoutTaken is an error said on stderr even with --json (cli.fail):
// stdout holds the command's CSV, which a JSON error would run on from.
type stdoutTaken struct{ error }

func (e stdoutTaken) Unwrap() error { return e.error }

// output opens --out, or stdout. The CSV goes to a temporary file beside
// --out that replaces it only once the export succeeded: a failed export
// (a mistyped action id, a full disk) must not wipe yesterday's export.
// finish is given the export's error and returns the command's.
func (c *cli) output() (w io.Writer, finish func(error) error, err error) {
	if c.opts.out == "" || c.opts.out == "-" {
		return c.stdout, func(err error) error { return err }, nil
	}
	// A directory would be found only by the final rename, after the whole
	// export, with the temporary file's name in the error.
	if fi, err := os.Stat(c.opts.out); err == nil && fi.IsDir() {
		return nil, nil, fmt.Errorf("--out %s is a directory; name a file in it, such as %s", c.opts.out, filepath.Join(c.opts.out, "export.csv"))
	}
	dir, base := filepath.Split(c.opts.out)
	if dir == "" {
		dir = "."
	}
	// CreateTemp makes it 0600: exports hold contacts' names and numbers.
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, nil, fmt.Errorf("--out %s: cannot write there: %w", c.opts.out, unwrapPath(err))
	}
	return f, func(err error) error {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), c.opts.out)
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	}, nil
}

// unwrapPath drops the temporary file's name from an error about it, which
// would only confuse: the organizer named --out.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
