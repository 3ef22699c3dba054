package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

func statsCommands() []command {
	return []command{
		{name: "stats", needs: "--action ID (or --campaign CODE --action-title TITLE)", summary: "sent, delivered, failed, replies, reply rate and opt-out rate of an action, per initial script",
			flags: actionFlags, run: runStats},
	}
}

func runStats(ctx context.Context, c *cli, _ []string) error {
	id, err := c.actionID(ctx)
	if err != nil {
		return err
	}
	st, err := c.org.Stats(ctx, id)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(st)
		return nil
	}
	fmt.Fprintf(c.stdout, "%s (%s)\n", st.Action, st.ActionID)
	// The texts' figures, then what the reports say, then each choice
	// field's answers: tables apart, as the app's Results has them, so that
	// none is wider than a terminal (one table of every column ran to 280).
	err = statsTable(c.stdout, st, "CONTACTS\tSENT\tDELIVERED\tFAILED\tREPLIES\tREPLY RATE\tOPT-OUTS\tOPT-OUT RATE", func(r api.ScriptResult) string {
		return fmt.Sprintf("%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s", r.Contacts, r.Sent, r.Delivered, r.Failed,
			r.Replies, percentOfSent(r.ReplyRate), r.OptOuts, percentOfSent(r.OptOutRate))
	})
	if err != nil {
		return err
	}
	if st.Total.Sent == 0 {
		fmt.Fprintln(c.stdout, "No texts sent yet: the rates show once some are.")
	}
	if err := reportTables(c.stdout, st); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout)
	for _, r := range st.Scripts {
		if r.Dropped {
			fmt.Fprintf(c.stdout, "script %d: no longer in the action\n", r.Script)
			continue
		}
		fmt.Fprintf(c.stdout, "script %d: %s\n", r.Script, r.Text)
	}
	return nil
}

// statsTable prints one table of an action's figures: a row per initial
// script and one for all, SCRIPT first, then head's columns as cells
// writes them (tab-separated).
func statsTable(w io.Writer, st api.ActionResults, head string, cells func(api.ScriptResult) string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "SCRIPT\t%s\t\n", head)
	for _, r := range st.Scripts {
		fmt.Fprintf(tw, "%d\t%s\t\n", r.Script, cells(r))
	}
	fmt.Fprintf(tw, "all\t%s\t\n", cells(st.Total))
	return tw.Flush()
}

// reportTables prints what the reports say: the conversations reported
// with each tag, text and number field (a column headed by its label),
// then a table per choice field, a column per choice. Nothing for an
// action with no report field and no report, as the app.
func reportTables(w io.Writer, st api.ActionResults) error {
	tags := st.Total.Tags
	if st.Total.Reported == 0 && len(tags) == 0 {
		return nil
	}
	// Every script's tags come in the total's order.
	var plain []int
	choices := map[string][]int{}
	var fields []string
	for i, t := range tags {
		switch {
		case t.Choice == "":
			plain = append(plain, i)
		case choices[t.Key] == nil:
			fields = append(fields, t.Key)
			fallthrough
		default:
			choices[t.Key] = append(choices[t.Key], i)
		}
	}
	head := []string{"REPORTED"}
	for _, i := range plain {
		head = append(head, strings.ToUpper(answerLabel(tags[i])))
	}
	fmt.Fprintln(w, "\nWhat the reports say, in conversations:")
	err := statsTable(w, st, strings.Join(head, "\t"), func(r api.ScriptResult) string {
		cells := []string{strconv.Itoa(r.Reported)}
		for _, i := range plain {
			cells = append(cells, tagCell(r.Tags[i]))
		}
		return strings.Join(cells, "\t")
	})
	for _, key := range fields {
		if err != nil {
			return err
		}
		at := choices[key]
		head = head[:0]
		for _, i := range at {
			head = append(head, strings.ToUpper(tags[i].Choice))
		}
		fmt.Fprintf(w, "\n%s, each conversation's latest answer:\n", tags[at[0]].Label)
		err = statsTable(w, st, strings.Join(head, "\t"), func(r api.ScriptResult) string {
			cells := make([]string, 0, len(at))
			for _, i := range at {
				cells = append(cells, tagCell(r.Tags[i]))
			}
			return strings.Join(cells, "\t")
		})
	}
	return err
}

// tagCell is one script's count for a tag, choice or text field, or a
// number field's answers added up with how many gave one: "212 (90)".
func tagCell(t api.TagCount) string {
	if t.Kind == report.KindNumber {
		return fmt.Sprintf("%s (%d)", strconv.FormatFloat(t.Sum, 'f', -1, 64), t.Count)
	}
	return strconv.Itoa(t.Count)
}

// percentOfSent is a rate of texts sent as a percentage, "-" before any
// was sent (no rate): 0.0% read as texts sent that nobody answered.
func percentOfSent(rate *float64) string {
	if rate == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100**rate)
}

// answerLabel heads a tag's column with its label, a choice's with the
// field's and the choice ("Support: Strong Supporter"), a text field's
// with its label and "answered", a number field's with "sum (answered)".
func answerLabel(t api.TagCount) string {
	switch {
	case t.Kind == report.KindText:
		return t.Label + ": answered"
	case t.Kind == report.KindNumber:
		return t.Label + ": sum (answered)"
	case t.Choice != "":
		return t.Label + ": " + t.Choice
	}
	return t.Label
}
