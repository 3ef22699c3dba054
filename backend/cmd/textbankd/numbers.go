package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

const numbersUsage = `Usage:
  textbankd numbers add --campaign CODE [--data DIR] +1NUMBER...   add sending numbers to a campaign's pool
  textbankd numbers list [--campaign CODE] [--data DIR]             list numbers and how many volunteers use each
`

// runNumbers manages campaigns' pools of sending numbers in the same data
// directory serve uses.
func runNumbers(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(stderr, numbersUsage)
		return 2
	}
	fs := flag.NewFlagSet("numbers "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "TEXTBANK_DATA", "textbank-data"), "data directory of textbankd serve (TEXTBANK_DATA)")
	code := fs.String("campaign", "", "the campaign's 6-digit join code")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	var err error
	switch args[0] {
	case "add":
		err = numbersAdd(ctx, *data, *code, fs.Args(), stdout)
	case "list":
		if fs.NArg() > 0 {
			err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
		} else {
			err = numbersList(ctx, *data, *code, stdout)
		}
	default:
		fmt.Fprintf(stderr, "textbankd numbers: unknown command %q\n%s", args[0], numbersUsage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "textbankd numbers %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// campaignByCode finds the active campaign with this join code.
func campaignByCode(ctx context.Context, tx store.Tx, raw string) (store.Campaign, error) {
	code, err := server.ParseJoinCode(raw)
	if err != nil {
		return store.Campaign{}, fmt.Errorf("--campaign: %w", err)
	}
	c, err := tx.CampaignByJoinCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return store.Campaign{}, fmt.Errorf("no active campaign has join code %s", code)
	}
	return c, err
}

func numbersAdd(ctx context.Context, data, code string, raw []string, stdout io.Writer) error {
	if code == "" {
		return errors.New("--campaign CODE is required")
	}
	if len(raw) == 0 {
		return errors.New("name at least one number, like +12025550180")
	}
	// Every number is checked before anything is stored.
	var nums []string
	seen := map[string]bool{}
	for _, r := range raw {
		if !strings.HasPrefix(strings.TrimSpace(r), "+") {
			return fmt.Errorf("%q is not in E.164: write it with + and the country code, like +12025550180", r)
		}
		n, err := phone.Normalize(r, "")
		if err != nil {
			return err
		}
		if seen[n] {
			return fmt.Errorf("%s is given twice", n)
		}
		seen[n] = true
		nums = append(nums, n)
	}
	st, err := openStore(ctx, data)
	if err != nil {
		return err
	}
	defer st.Close()
	var camp store.Campaign
	err = st.Update(ctx, func(tx store.Tx) error {
		var err error
		if camp, err = campaignByCode(ctx, tx, code); err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, n := range nums {
			if c, err := tx.SendingNumberCampaign(ctx, n); err == nil {
				return fmt.Errorf("%s is already a sending number (of campaign %s); nothing was added", n, c)
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err := tx.AddSendingNumber(ctx, camp.ID, n, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d number(s) to %q: %s\n", len(nums), camp.Name, strings.Join(nums, ", "))
	return nil
}

func numbersList(ctx context.Context, data, code string, stdout io.Writer) error {
	st, err := openStore(ctx, data)
	if err != nil {
		return err
	}
	defer st.Close()
	var list []store.SendingNumberInfo
	names := map[string]string{}
	err = st.View(ctx, func(tx store.Tx) error {
		campaignID := ""
		if code != "" {
			c, err := campaignByCode(ctx, tx, code)
			if err != nil {
				return err
			}
			campaignID = c.ID
		}
		var err error
		if list, err = tx.ListSendingNumbers(ctx, campaignID); err != nil {
			return err
		}
		for _, n := range list {
			if _, ok := names[n.CampaignID]; !ok {
				c, err := tx.CampaignByID(ctx, n.CampaignID)
				if err != nil {
					return err
				}
				names[n.CampaignID] = c.JoinCode + " " + c.Name
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NUMBER\tVOLUNTEERS\tCAMPAIGN")
	for _, n := range list {
		fmt.Fprintf(w, "%s\t%d\t%s\n", n.Phone, n.Volunteers, names[n.CampaignID])
	}
	return w.Flush()
}
