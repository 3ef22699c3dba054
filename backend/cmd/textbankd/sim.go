package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/texting"
)

func simCommands() []command {
	return []command{
		{name: "sim text", args: "--from PHONE --to NUMBER [--id SID] BODY", nargs: 1, noStore: true, ownStore: true, run: runSimText,
			summary: "on a server running the simulated network (serve --provider sim, or --demo), deliver the text BODY as if the contact at PHONE " +
				"had sent it to the campaign's NUMBER: a START after a STOP, a question, a stranger's text no conversation claims; " +
				"it takes the way a real reply does (opt-out words, conversations, unroutable texts, the volunteer's inbox)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.data, "data", "textbank-data", "the --data of the running serve --provider sim (on PostgreSQL that server's own), "+
					"where it keeps "+simDoorFile+" while it runs (TEXTBANK_DATA)")
				fs.StringVar(&o.from, "from", "", "the contact's number the text comes from, e.g. +12025550123; required")
				fs.StringVar(&o.to, "to", "", "the campaign's sending number it is sent to (numbers list names them); required")
				fs.StringVar(&o.providerID, "id", "", "the provider's message id the text comes under, SM and 32 hexadecimal digits as Twilio's "+
					"(e.g. SM0123456789abcdef0123456789abcdef); the same --id again is a text the provider delivered twice, as a retried webhook does, "+
					"and is stored once; a new id for each text if not given")
				// No variables for the numbers: each text's are typed.
				return map[string]string{"data": "TEXTBANK_DATA"}
			}},
	}
}

// simTextTimeout bounds sim text's wait for the server.
const simTextTimeout = 30 * time.Second

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
	door, err := readSimDoor(c.opts.data)
	if err != nil {
		return err
	}
	sent := simText{ID: id, From: from, To: to, Body: body}
	ans, err := askSimDoor(ctx, door, c.opts.data, sent)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(struct {
			simText
			simTextAnswer
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
	if ans.OptedOut {
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

// readSimDoor reads the door a simulated server keeps in dataDir.
func readSimDoor(dataDir string) (simDoor, error) {
	path := filepath.Join(dataDir, simDoorFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, derr := os.Stat(dataDir); derr != nil {
			return simDoor{}, fmt.Errorf("--data %s: %w", dataDir, derr)
		}
		return simDoor{}, fmt.Errorf("no server on the simulated network runs on --data %s: it holds no %s, which textbankd serve --provider sim "+
			"(or --demo) keeps there while it runs; a server with --provider twilio or none takes no simulated text. Start one, or give its --data; nothing was sent", dataDir, simDoorFile)
	}
	if err != nil {
		return simDoor{}, fmt.Errorf("read %s: %w (run sim text as the server's user); nothing was sent", path, err)
	}
	var d simDoor
	if err := json.Unmarshal(raw, &d); err != nil || d.URL == "" || d.Key == "" {
		return simDoor{}, fmt.Errorf("%s is damaged (restarting the server writes it again); nothing was sent", path)
	}
	return d, nil
}

// askSimDoor sends t to the server behind door and reads its answer.
func askSimDoor(ctx context.Context, door simDoor, dataDir string, t simText) (simTextAnswer, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return simTextAnswer{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, simTextTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, door.URL+simTextPath, bytes.NewReader(body))
	if err != nil {
		return simTextAnswer{}, fmt.Errorf("%s is damaged (restarting the server writes it again): %w; nothing was sent", filepath.Join(dataDir, simDoorFile), err)
	}
	req.Header.Set("Authorization", "Bearer "+door.Key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if errors.Is(err, syscall.ECONNREFUSED) {
		return simTextAnswer{}, fmt.Errorf("no server answers at %s, which %s names: the server on the simulated network that wrote it "+
			"has stopped (without removing it); start it again; nothing was sent", door.URL, filepath.Join(dataDir, simDoorFile))
	}
	if err != nil {
		return simTextAnswer{}, fmt.Errorf("ask the server at %s: %w; whether it stored the text, textbankd unroutable or the app's inbox says", door.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return simTextAnswer{}, fmt.Errorf("read the server's answer: %w; whether it stored the text, textbankd unroutable or the app's inbox says", err)
	}
	var ans simTextAnswer
	var refusal simTextRefusal
	switch {
	case resp.StatusCode == http.StatusOK && json.Unmarshal(raw, &ans) == nil:
		return ans, nil
	case resp.StatusCode == http.StatusNotFound:
		// Another server took the port of one that stopped without
		// removing its door.
		return simTextAnswer{}, fmt.Errorf("the server at %s does not run the simulated network (its --provider is not sim), so it takes no "+
			"simulated text: a text there comes from a real phone; nothing was sent", door.URL)
	case json.Unmarshal(raw, &refusal) == nil && refusal.Error != "":
		return simTextAnswer{}, errors.New(refusal.Error)
	}
	return simTextAnswer{}, fmt.Errorf("the server at %s answered %s; whether it stored the text, textbankd unroutable or the app's inbox says", door.URL, resp.Status)
}
