package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/texting"
)

func simCommands() []command {
	return []command{
		{name: "sim text", args: "BODY", needs: "--from PHONE --to NUMBER", nargs: 1, noStore: true, ownStore: true, run: runSimText,
			summary: "on a server running the simulated network (serve --provider sim, or --demo), deliver the text BODY as if the contact at PHONE " +
				"had sent it to the campaign's NUMBER: a START after a STOP, a question, a stranger's text no conversation claims; " +
				"it takes the way a real reply does (opt-out words, conversations, unroutable texts, the volunteer's inbox)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.data, "data", "textbank-data", "the --data of the running serve --provider sim (on PostgreSQL that server's own), "+
					"where it keeps "+simdoor.File+" while it runs (TEXTBANK_DATA)")
				fs.StringVar(&o.from, "from", "", "the contact's number the text comes from, e.g. +12025550123; required (no variable: typed for each text)")
				fs.StringVar(&o.to, "to", "", "the campaign's sending number it is sent to (numbers list names them); required (no variable: typed for each text)")
				fs.StringVar(&o.providerID, "id", "", "the provider's message id the text comes under, SM and 32 hexadecimal digits as Twilio's "+
					"(e.g. SM0123456789abcdef0123456789abcdef); the same --id again is a text the provider delivered twice, as a retried webhook does, "+
					"and is stored once; a new id for each text if not given (no variable: typed for each text)")
				// No variables for the numbers: each text's are typed.
				return map[string]string{"data": "TEXTBANK_DATA"}
			}},
	}
}

func runSimText(ctx context.Context, c *cli, args []string) error {
	from, err := simNumber("--from", "the contact's number", c.opts.from)
	if err != nil {
		return err
	}
	to, err := simNumber("--to", "the campaign's sending number", c.opts.to)
	if err != nil {
		return err
	}
	body := args[0]
	if err := texting.CheckLength(body); err != nil {
		return fmt.Errorf("BODY: %w; nothing was sent", err)
	}
	id := c.opts.providerID
	if id != "" {
		if err := simnet.CheckID(id); err != nil {
			return fmt.Errorf("--id: %w; nothing was sent", err)
		}
	}
	door, err := simdoor.Read(c.opts.data)
	if err != nil {
		return err
	}
	sent := simdoor.Text{ID: id, From: from, To: to, Body: body}
	ans, err := simdoor.Ask(ctx, door, c.opts.data, sent)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(struct {
			simdoor.Text
			simdoor.Answer
		}{sent, ans})
		return nil
	}
	if ans.Repeat {
		// Said first: an organizer showing a retried webhook is looking
		// for exactly this.
		fmt.Fprintf(c.stdout, "Delivered %q from %s to %s again as %s, a repeat of the text already stored under that id: nothing new was stored "+
			"(a text the provider delivers twice is kept once); ", body, from, to, ans.ProviderID)
	} else {
		fmt.Fprintf(c.stdout, "Delivered %q from %s to %s (%s): ", body, from, to, ans.ProviderID)
	}
	switch {
	case ans.Conversation != nil:
		fmt.Fprintf(c.stdout, "it is in the conversation with %s, in the inbox of %s (%s).\n", ans.Conversation.Contact, ans.Conversation.Owner, ans.Conversation.Email)
	case ans.Unroutable:
		fmt.Fprintln(c.stdout, "no conversation claimed it; it is kept as unroutable (textbankd unroutable lists it).")
	default:
		fmt.Fprintln(c.stdout, "stored (the server's log says why it could not tell where).")
	}
	switch {
	case ans.OptedOut && ans.Conversation != nil && optout.OptIn(body):
		// This text is that START: told what became of it, not what a
		// START would do.
		fmt.Fprintln(c.stdout, "The number stays opted out: this START is listed for the campaign's admins under Opt-ins (the Admin section), where Opt Back In lifts the opt-out.")
	case ans.OptedOut:
		fmt.Fprintln(c.stdout, "The number is opted out of the organization; a START from it goes to the campaign's admins, to opt it back in (the Admin section's Opt-ins).")
	}
	return nil
}

// simNumber is a number sim text was given, in E.164, or why it is not one.
func simNumber(flag, what, raw string) (string, error) {
	if raw == "" {
		return "", fmt.Errorf("give %s with %s", what, flag)
	}
	n, err := phone.Normalize(raw, phone.DefaultRegion)
	if err != nil {
		return "", fmt.Errorf("%s: %w; nothing was sent", flag, err)
	}
	return n, nil
}
