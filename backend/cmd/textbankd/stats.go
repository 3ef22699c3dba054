package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

func statsCommands() []command {
	return []command{
		{name: "stats", summary: "sent, delivered, failed, replies, reply rate and opt-out rate of an action, per initial script",
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
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	// Then what the reports say: conversations reported, and each tag
	// field's count, headed by its label.
	head := "SCRIPT\tCONTACTS\tSENT\tDELIVERED\tFAILED\tREPLIES\tREPLY RATE\tOPT-OUTS\tOPT-OUT RATE\tREPORTED\t"
	for _, tag := range st.Total.Tags {
		head += strings.ToUpper(answerLabel(tag)) + "\t"
	}
	fmt.Fprintln(tw, head)
	row := func(name string, r api.ScriptResult) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s\t%d\t", name, r.Contacts, r.Sent, r.Delivered, r.Failed,
			r.Replies, percentOfSent(r.ReplyRate), r.OptOuts, percentOfSent(r.OptOutRate), r.Reported)
		for _, tag := range r.Tags {
			if tag.Kind == report.KindNumber {
				fmt.Fprintf(tw, "%s (%d)\t", strconv.FormatFloat(tag.Sum, 'f', -1, 64), tag.Count)
				continue
			}
			fmt.Fprintf(tw, "%d\t", tag.Count)
		}
		fmt.Fprintln(tw)
	}
	for _, r := range st.Scripts {
		row(fmt.Sprintf("%d", r.Script), r)
	}
	row("all", st.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	if st.Total.Sent == 0 {
		fmt.Fprintln(c.stdout, "No texts sent yet: the rates show once some are.")
	}
	for _, r := range st.Scripts {
		if r.Dropped {
			fmt.Fprintf(c.stdout, "script %d: no longer in the action\n", r.Script)
			continue
		}
		fmt.Fprintf(c.stdout, "script %d: %s\n", r.Script, r.Text)
	}
	return nil
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
