package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

func numbersCommands() []command {
	campaignFlag := func(help string) func(fs *flag.FlagSet, o *cliOpts) map[string]string {
		return func(fs *flag.FlagSet, o *cliOpts) map[string]string {
			fs.StringVar(&o.campaign, "campaign", "", help+" (TEXTBANK_CAMPAIGN)")
			return map[string]string{"campaign": "TEXTBANK_CAMPAIGN"}
		}
	}
	return []command{
		{name: "numbers add", args: "+1NUMBER...", needs: "--campaign CODE|ID", nargs: -1, checkArgs: someNumbers, flags: campaignFlag("the active campaign whose pool gets the numbers: its join code or id"),
			run: runNumbersAdd, summary: "add sending numbers (E.164) to a campaign's pool, bringing back any it removed and taking over any of an archived campaign of the organization or removed by another; all or none"},
		{name: "numbers list", flags: campaignFlag("only this campaign's numbers: its join code (or its id, for an archived one)"),
			run: runNumbersList, summary: "list sending numbers, how many people (volunteers and admins) text from each, and each one's last text"},
		{name: "numbers remove", args: "+1NUMBER...", needs: "--campaign CODE|ID", nargs: -1, checkArgs: someNumbers, flags: campaignFlag("the active campaign whose pool loses the numbers: its join code or id"),
			run: runNumbersRemove, summary: "take sending numbers out of a campaign's pool: they start no conversation, those under way keep them; all or none"},
	}
}

// numberCampaign is the campaign whose pool has our number n, or nil if
// none has it, and whether n was removed from that pool.
func numberCampaign(ctx context.Context, tx store.Tx, n string) (*store.Campaign, bool, error) {
	info, err := tx.SendingNumberByPhone(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	camp, err := tx.CampaignByID(ctx, info.CampaignID)
	return &camp, info.RemovedAt != nil, err
}

// AddedNumbers is what numbers add prints with --json.
type AddedNumbers struct {
	Campaign string   `json:"campaign"`
	JoinCode string   `json:"joinCode"`
	Numbers  []string `json:"numbers"`
	// TakenOver are the numbers of Numbers that came out of an archived
	// campaign's pool, or out of another campaign that had removed them.
	TakenOver []TakenNumber `json:"takenOver"`
	// Restored are the numbers of Numbers this campaign had removed, in
	// use again.
	Restored []string `json:"restored"`
}

// TakenNumber is a number taken over from an archived campaign, or from
// an active one that had removed it (Removed).
type TakenNumber struct {
	Phone    string `json:"phone"`
	JoinCode string `json:"joinCode"` // the campaign's it came from
	Campaign string `json:"campaign"`
	Removed  bool   `json:"removed,omitempty"`
}

// someNumbers refuses numbers add and remove given no number.
func someNumbers(args []string, _ *cliOpts) error {
	if len(args) == 0 {
		return errors.New("name at least one number, like +12025550180")
	}
	return nil
}

// parseNumbers reads the numbers a command names, every one checked
// before anything is stored: E.164, each once.
func parseNumbers(raw []string, done string) ([]string, error) {
	var nums []string
	seen := map[string]bool{}
	for _, r := range raw {
		if !strings.HasPrefix(strings.TrimSpace(r), "+") {
			return nil, fmt.Errorf("%q is not in E.164: write it with + and the country code, like +12025550180; nothing was %s", r, done)
		}
		n, err := phone.Normalize(r, "")
		if err != nil {
			return nil, fmt.Errorf("%w; nothing was %s", err, done)
		}
		if seen[n] {
			return nil, fmt.Errorf("%s is given twice; nothing was %s", n, done)
		}
		seen[n] = true
		nums = append(nums, n)
	}
	return nums, nil
}

func runNumbersRemove(ctx context.Context, c *cli, raw []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	nums, err := parseNumbers(raw, "removed")
	if err != nil {
		return err
	}
	res, err := c.org.RemoveNumbers(ctx, c.opts.campaign, nums)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(res)
		return nil
	}
	noun := "numbers"
	if len(nums) == 1 {
		noun = "number"
	}
	fmt.Fprintf(c.stdout, "Removed %d %s from %q: %s. Conversations under way keep their number.\n",
		len(nums), noun, res.Campaign, strings.Join(nums, ", "))
	for _, m := range res.Moved {
		if m.Number == "" {
			fmt.Fprintf(c.stdout, "  %s (%s) had %s and has no number now\n", m.Name, m.Email, m.From)
			continue
		}
		fmt.Fprintf(c.stdout, "  %s (%s) had %s and texts from %s now\n", m.Name, m.Email, m.From, m.Number)
	}
	if res.InUse == 0 {
		fmt.Fprintf(c.stdout, "The campaign has no sending number in use: its volunteers cannot start conversations until "+
			"textbankd numbers add%s --campaign %s +1NUMBER... adds one.\n", c.where(), res.JoinCode)
	}
	return nil
}

func runNumbersAdd(ctx context.Context, c *cli, raw []string) error {
	if c.opts.campaign == "" {
		return errNoCampaign
	}
	nums, err := parseNumbers(raw, "added")
	if err != nil {
		return err
	}
	var camp store.Campaign
	taken := []TakenNumber{}
	restored := []string{}
	// One transaction: a number refused leaves every other as it was.
	err = c.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if camp, err = server.ActiveCampaign(ctx, tx, c.opts.campaign); err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, n := range nums {
			owner, removed, err := numberCampaign(ctx, tx, n)
			if err != nil {
				return err
			}
			if owner == nil {
				if err := tx.AddSendingNumber(ctx, camp.ID, n, now); err != nil {
					return err
				}
				continue
			}
			if err := mayTakeOver(ctx, tx, n, *owner, camp, removed); err != nil {
				return err
			}
			if err := tx.MoveSendingNumber(ctx, n, camp.ID); err != nil {
				return err
			}
			if owner.ID == camp.ID {
				restored = append(restored, n)
			} else {
				taken = append(taken, TakenNumber{Phone: n, JoinCode: owner.JoinCode, Campaign: owner.Name, Removed: owner.Active})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(AddedNumbers{Campaign: camp.Name, JoinCode: camp.JoinCode, Numbers: nums, TakenOver: taken, Restored: restored})
		return nil
	}
	noun := "numbers"
	if len(nums) == 1 {
		noun = "number"
	}
	fmt.Fprintf(c.stdout, "Added %d %s to %q: %s\n", len(nums), noun, camp.Name, strings.Join(nums, ", "))
	for _, t := range taken {
		if t.Removed {
			// Numbers are removed mostly for a carrier's flag: say so
			// before it goes back into use, and that the conversations
			// left there are live ones.
			fmt.Fprintf(c.stdout, "  %s taken over from campaign %s %q, which had removed it (numbers remove): if a carrier flagged it, "+
				"texts from it may still be blocked; that campaign's conversations under way keep it, and a reply from a contact "+
				"both campaigns texted goes to the conversation that texted them last\n", t.Phone, t.JoinCode, t.Campaign)
			continue
		}
		fmt.Fprintf(c.stdout, "  %s taken over from archived campaign %s %q; its conversations under way keep it: replies still reach their volunteers\n",
			t.Phone, t.JoinCode, t.Campaign)
	}
	for _, n := range restored {
		fmt.Fprintf(c.stdout, "  %s was removed from this campaign before; it is in use again\n", n)
	}
	return nil
}

// mayTakeOver refuses to move n out of owner's pool into camp's, naming
// the campaign that has it by the join code and name the organizer knows it
// by. A number leaves an archived campaign of the same organization only,
// or one that removed it (numbers remove); a removed number comes back
// into its own campaign's use: an active campaign's volunteers still start
// conversations from a number in use, and
// opt-outs are kept per organization (carriers keep a STOP with the number,
// so another organization's texts to those contacts would fail). Replies
// are routed by thread (the last text to the contact from n), not by pool,
// so the archived campaign's conversations under way go on as before.
func mayTakeOver(ctx context.Context, tx store.Tx, n string, owner, camp store.Campaign, removed bool) error {
	switch {
	case owner.ID == camp.ID && removed:
		return nil
	case owner.ID == camp.ID:
		return fmt.Errorf("%s is already a sending number of campaign %s %q; nothing was added", n, owner.JoinCode, owner.Name)
	case owner.OrganizationID != camp.OrganizationID:
		// Checked before "active": archiving another organization's
		// campaign would not free the number for this one, so the hint to
		// archive must not be given.
		org, err := tx.OrganizationByID(ctx, owner.OrganizationID)
		if err != nil {
			return err
		}
		state := map[bool]string{true: "active", false: "archived"}[owner.Active]
		return fmt.Errorf("%s is a sending number of the %s campaign %s %q of another organization, %q; nothing was added "+
			"(a number moves only between one organization's campaigns: its contacts' opt-outs are the organization's)",
			n, state, owner.JoinCode, owner.Name, org.Name)
	case owner.Active && !removed:
		return fmt.Errorf("%s is already a sending number of the active campaign %s %q; nothing was added "+
			"(a number can move to another campaign once its campaign is archived, or once it is removed there with numbers remove)", n, owner.JoinCode, owner.Name)
	}
	return nil
}

// NumberListing is one row of numbers list (--json prints a list of them).
type NumberListing struct {
	Phone string `json:"phone"`
	// Volunteers: the people given the number, admins who text included
	// (the text listing's TEXTING FROM IT); the name is kept for scripts.
	Volunteers int    `json:"volunteers"`
	JoinCode   string `json:"joinCode"`
	Campaign   string `json:"campaign"`
	// Archived: the campaign is over, so its join code may be a newer
	// campaign's.
	Archived bool `json:"archived"`
	// Removed: taken out of the pool (numbers remove); it starts no
	// conversation, those under way keep it.
	Removed bool `json:"removed"`
	// LastText is the last text of any conversation on the number, null
	// if none: a removed number can be given up at the provider once its
	// conversations are over.
	LastText *time.Time `json:"lastText"`
}

func runNumbersList(ctx context.Context, c *cli, _ []string) error {
	rows := []NumberListing{}
	var only store.Campaign
	err := c.st.View(ctx, func(tx store.Tx) error {
		campaignID := ""
		if c.opts.campaign != "" {
			// As the exports and unroutable take it: an archived
			// campaign's code may be a newer one's, its id is its own.
			var err error
			if only, err = server.CampaignByRef(ctx, tx, c.opts.campaign); err != nil {
				return err
			}
			campaignID = only.ID
		}
		list, err := tx.ListSendingNumbers(ctx, campaignID)
		if err != nil {
			return err
		}
		last, err := tx.SendingNumberLastTexts(ctx, campaignID)
		if err != nil {
			return err
		}
		camps := map[string]store.Campaign{}
		for _, n := range list {
			camp, ok := camps[n.CampaignID]
			if !ok {
				if camp, err = tx.CampaignByID(ctx, n.CampaignID); err != nil {
					return err
				}
				camps[n.CampaignID] = camp
			}
			row := NumberListing{Phone: n.Phone, Volunteers: n.Volunteers, JoinCode: camp.JoinCode, Campaign: camp.Name,
				Archived: !camp.Active, Removed: n.RemovedAt != nil}
			if at, ok := last[n.Phone]; ok {
				row.LastText = &at
			}
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(rows)
		return nil
	}
	if len(rows) == 0 {
		// Volunteers cannot text without a number: say how to add one.
		code := "CODE"
		if only.ID != "" && !only.Active {
			fmt.Fprintf(c.stdout, "Campaign %q (archived) had no sending numbers.\n", only.Name)
			return nil
		}
		if c.opts.campaign != "" {
			code = c.opts.campaign
			fmt.Fprintf(c.stdout, "Campaign %s has no sending numbers yet", code)
		} else {
			fmt.Fprint(c.stdout, "No sending numbers yet")
		}
		fmt.Fprintf(c.stdout, ": textbankd numbers add%s --campaign %s +1NUMBER... adds them.\n", c.where(), code)
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	// Not VOLUNTEERS: admins who text are given a number too, and campaign
	// list's VOLUNTEERS counts the members who joined as volunteers.
	fmt.Fprintln(w, "NUMBER\tTEXTING FROM IT\tLAST TEXT\tCAMPAIGN")
	for _, n := range rows {
		phone := n.Phone
		if n.Removed {
			phone += " (removed)"
		}
		lastText := "none yet"
		if n.LastText != nil {
			lastText = listingTime(*n.LastText)
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", phone, n.Volunteers, lastText, campaignLabel(n.JoinCode, n.Campaign, n.Archived))
	}
	return w.Flush()
}

// campaignLabel is how listings name a campaign: its join code and name,
// marked when archived, since an archived campaign's code is free again and
// may be a newer campaign's.
func campaignLabel(joinCode, name string, archived bool) string {
	if archived {
		return joinCode + " " + name + " (archived)"
	}
	return joinCode + " " + name
}
