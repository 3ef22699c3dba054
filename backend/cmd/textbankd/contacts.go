package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"sort"
	"strings"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server"
)

// csvImportFlags are the flags both imports of a CSV (contacts import,
// opt-outs import) take, in the same words: how its numbers are read and
// what its bad rows do.
func csvImportFlags(fs *flag.FlagSet, o *cliOpts) map[string]string {
	fs.StringVar(&o.region, "region", phone.DefaultRegion, "region of numbers written without a country code, e.g. US, CA, GB (TEXTBANK_REGION)")
	fs.BoolVar(&o.skipInvalid, "skip-invalid", false, "import the valid rows of a file with invalid ones instead of refusing it (TEXTBANK_SKIP_INVALID)")
	return map[string]string{"region": "TEXTBANK_REGION", "skip-invalid": "TEXTBANK_SKIP_INVALID"}
}

func contactsCommands() []command {
	return []command{
		{name: "contacts import", args: "FILE", needs: "--action ID (or --campaign CODE --action-title TITLE)", nargs: 1,
			summary: "load contacts from a CSV (first name, last name, cell; optional zip, external id; other columns become merge fields) into an action, all or nothing",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.action, "action", "", "id of the action to load into (TEXTBANK_ACTION)")
				fs.StringVar(&o.campaign, "campaign", "", "the campaign: its join code or id, with --action-title (TEXTBANK_CAMPAIGN)")
				fs.StringVar(&o.title, "action-title", "", "title of the action in --campaign (TEXTBANK_ACTION_TITLE)")
				fs.BoolVar(&o.keepNameCase, "keep-name-case", false, "keep names all in capitals or all in lower case as the file writes them, instead of writing them as names: IDA WELLS as Ida Wells (TEXTBANK_KEEP_NAME_CASE)")
				env := map[string]string{"action": "TEXTBANK_ACTION", "campaign": "TEXTBANK_CAMPAIGN",
					"action-title": "TEXTBANK_ACTION_TITLE", "keep-name-case": "TEXTBANK_KEEP_NAME_CASE"}
				maps.Copy(env, csvImportFlags(fs, o))
				return env
			},
			run: runContactsImport},
		{name: "contacts release", args: "EMAIL", needs: "--campaign CODE|ID", nargs: 1,
			summary: "hand the contacts a volunteer took and has not texted back to the pool, in every action of a campaign (a volunteer who left mid-batch)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.campaign, "campaign", "", "the campaign: its join code, or its id (an archived one's too: campaign list --all) (TEXTBANK_CAMPAIGN)")
				return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
			},
			run: runContactsRelease},
	}
}

func runContactsRelease(ctx context.Context, c *cli, args []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	res, err := c.org.ReleaseContacts(ctx, args[0], c.opts.campaign)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	fmt.Fprintf(c.stdout, "%s of %s in %q (%s) went back to the pool for other volunteers; their conversations stay theirs.\n",
		upperFirst(unsent(res.Released)), res.Email, res.Campaign, res.JoinCode)
	return nil
}

// unsent says n unsent contacts in words.
func unsent(n int) string {
	if n == 1 {
		return "1 unsent contact"
	}
	if n == 0 {
		return "no unsent contacts"
	}
	return fmt.Sprintf("%d unsent contacts", n)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// contactsHeadline says what an import did, first. One that added nothing
// says so and why, as opt-outs import does ("Nothing new opted out"):
// "Imported 0 contacts" over a file imported again read as a failure to
// look into.
func contactsHeadline(res server.ImportResult) string {
	if res.Imported > 0 {
		return fmt.Sprintf("Imported %s into %q (%s).", contacts(res.Imported), res.Action, res.ActionID)
	}
	var why []string
	for _, n := range []struct {
		count int
		what  string
	}{{res.AlreadyLoaded, "already in the action"}, {res.OptedOut, "opted out"}, {res.Duplicates, "repeated in the file"}, {res.Invalid, "invalid"}} {
		if n.count > 0 {
			why = append(why, fmt.Sprintf("%d %s", n.count, n.what))
		}
	}
	if len(why) == 0 {
		return fmt.Sprintf("Nothing new imported into %q (%s): the file has no contacts.", res.Action, res.ActionID)
	}
	return fmt.Sprintf("Nothing new imported into %q (%s): every row was skipped (%s).", res.Action, res.ActionID, strings.Join(why, ", "))
}

// maxRepeatedShown is how many repeated rows the text output names.
const maxRepeatedShown = 10

func runContactsImport(ctx context.Context, c *cli, args []string) error {
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	req := server.ImportRequest{ActionID: c.opts.action, CampaignCode: c.opts.campaign, ActionTitle: c.opts.title,
		CSV: f, Region: c.opts.region, SkipInvalid: c.opts.skipInvalid, KeepNameCase: c.opts.keepNameCase}
	bar := isTerminal(c.stderr) && !c.opts.json
	if bar {
		req.Progress = func(phase string, done, total int) { progressBar(c, phase, done, total) }
	}
	res, err := c.org.ImportContacts(ctx, req)
	if bar {
		fmt.Fprint(c.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	w := c.stdout
	fmt.Fprintln(w, contactsHeadline(res))
	fmt.Fprintf(w, "  rows in file:             %d (%s)\n", res.Rows, res.Encoding)
	fmt.Fprintf(w, "  repeated in the file:     %d skipped\n", res.Duplicates)
	fmt.Fprintf(w, "  already in the action:    %d skipped\n", res.AlreadyLoaded)
	fmt.Fprintf(w, "  opted out:                %d skipped\n", res.OptedOut)
	fmt.Fprintf(w, "  invalid:                  %d skipped\n", res.Invalid)
	// Why, per field a script needs, and what to do: a row named "empty" at
	// a time left the organizer to work out which scripts and how many.
	for _, f := range res.EmptyFields {
		fmt.Fprintf(w, "    %s (skipped): %s\n", f.Summary(), f.Advice())
	}
	if res.Recased > 0 {
		fmt.Fprintf(w, "  names in one case:        %d written as names (%s; --keep-name-case keeps the file's)\n", res.Recased, res.RecasedExample)
	}
	var cols []string
	for field, header := range res.Columns {
		cols = append(cols, fmt.Sprintf("%s=%q", field, header))
	}
	sort.Strings(cols)
	fmt.Fprintf(w, "  columns read:             %s\n", strings.Join(cols, " "))
	if len(res.NotShown) > 0 {
		fmt.Fprintf(w, "  not shown to volunteers:  %s (kept for the exports; shown_fields in the campaign file shows a column)\n", strings.Join(res.NotShown, ", "))
	}
	scripts := make([]int, 0, len(res.PerScript))
	for i := range res.PerScript {
		scripts = append(scripts, i)
	}
	sort.Ints(scripts)
	for _, i := range scripts {
		fmt.Fprintf(w, "  initial script %d:         %s\n", i+1, contacts(res.PerScript[i]))
	}
	printSkipped(w, res.ProblemLines)
	// A file exported twice over would print thousands: the first few
	// show the pattern, --json has them all.
	for i, r := range res.RepeatedLines {
		if i == maxRepeatedShown {
			fmt.Fprintf(w, "  and %d more repeated (--json lists every one)\n", len(res.RepeatedLines)-i)
			break
		}
		fmt.Fprintf(w, "  repeated %s\n", r)
	}
	warnMissingColumns(c, res.MissingColumns)
	return nil
}

// printSkipped names the rows --skip-invalid left out, as a refusal names
// them: the first server.MaxProblemsShown, then how many more.
func printSkipped(w io.Writer, lines []string) {
	for i, p := range lines {
		if i == server.MaxProblemsShown {
			fmt.Fprintf(w, "  and %d more skipped (--json lists every one)\n", len(lines)-i)
			break
		}
		fmt.Fprintf(w, "  skipped %s\n", p)
	}
}

// warnMissingColumns tells, on stderr, of the action's contact fields the
// file had no column for: the import went ahead, since every script that
// uses one has a fallback, but a forgotten or misspelt column is the likely
// cause, and the contacts will get the fallback.
func warnMissingColumns(c *cli, missing []server.MissingColumn) {
	for _, m := range missing {
		if len(m.Scripts) == 0 {
			fmt.Fprintf(c.stderr, "textbankd contacts import: warning: the file has no column for {%s}, a contact field of the action; no script uses it yet, and these contacts have no value for it\n", m.Field)
			continue
		}
		fmt.Fprintf(c.stderr, "textbankd contacts import: warning: the file has no column for {%s}, a contact field of the action; these contacts get its fallback where it is used (%s)\n",
			m.Field, strings.Join(m.Scripts, ", "))
	}
}

// contacts is n with its noun: "1 contact", "2 contacts".
func contacts(n int) string {
	if n == 1 {
		return "1 contact"
	}
	return fmt.Sprintf("%d contacts", n)
}

// progressBar redraws one line on the terminal.
func progressBar(c *cli, phase string, done, total int) {
	if total <= 0 {
		fmt.Fprintf(c.stderr, "\r\033[K%s %d rows", phase, done)
		return
	}
	const width = 30
	filled := done * width / total
	fmt.Fprintf(c.stderr, "\r\033[K%s [%s%s] %d/%d", phase, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
}
