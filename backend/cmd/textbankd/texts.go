package main

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// textsConfig is how serve reaches phones.
type textsConfig struct {
	provider  string // "", "sim" or "twilio"
	sid       string
	token     string
	tokenFile string
	publicURL string
	apiURL    string
	workers   int
	// catchUpEvery spaces the inbound catch-up's rounds while serving
	// (--inbound-catchup); 0: at the start only.
	catchUpEvery time.Duration
}

// minCatchUpEvery is the shortest --inbound-catchup: each round asks
// Twilio once a number, and tests run rounds this often.
const minCatchUpEvery = 100 * time.Millisecond

// simJournal is the simulated network's record of what it sent, in the
// data directory, so that a restarted server can ask it what went out.
const simJournal = simnet.JournalFile

func textsFlags(fs *flag.FlagSet, c *textsConfig, env map[string]string) {
	fs.StringVar(&c.provider, "provider", "", "SMS provider: twilio, or sim for the simulated network (the default with --demo) (TEXTBANK_PROVIDER)")
	fs.StringVar(&c.sid, "twilio-account-sid", "", "Twilio account SID, AC... (TEXTBANK_TWILIO_ACCOUNT_SID)")
	fs.StringVar(&c.token, "twilio-auth-token", "", "Twilio auth token; prefer the environment variable or --twilio-auth-token-file, which ps does not show (TEXTBANK_TWILIO_AUTH_TOKEN)")
	fs.StringVar(&c.tokenFile, "twilio-auth-token-file", "", "file holding the Twilio auth token (TEXTBANK_TWILIO_AUTH_TOKEN_FILE)")
	fs.StringVar(&c.publicURL, "public-url", "", "https URL at which Twilio reaches this server, e.g. https://texts.example.org (TEXTBANK_PUBLIC_URL)")
	fs.StringVar(&c.apiURL, "twilio-api-url", twilio.DefaultAPIURL, "Twilio REST API base URL (a stand-in or a Twilio-compatible gateway) (TEXTBANK_TWILIO_API_URL)")
	fs.IntVar(&c.workers, "send-workers", 8, "texts handed to the provider at once (TEXTBANK_SEND_WORKERS)")
	fs.DurationVar(&c.catchUpEvery, "inbound-catchup", server.DefaultCatchUpEvery, "with --provider twilio: how often the server asks Twilio for the replies "+
		"it received and stores those the webhook did not get (Twilio could not reach it); 100ms to 24h, or 0 for only at a start; "+
		"one server of several on one --db lists at a time (TEXTBANK_INBOUND_CATCHUP)")
	env["provider"] = "TEXTBANK_PROVIDER"
	env["twilio-account-sid"] = "TEXTBANK_TWILIO_ACCOUNT_SID"
	env["twilio-auth-token"] = "TEXTBANK_TWILIO_AUTH_TOKEN"
	env["twilio-auth-token-file"] = "TEXTBANK_TWILIO_AUTH_TOKEN_FILE"
	env["public-url"] = "TEXTBANK_PUBLIC_URL"
	env["twilio-api-url"] = "TEXTBANK_TWILIO_API_URL"
	env["send-workers"] = "TEXTBANK_SEND_WORKERS"
	env["inbound-catchup"] = "TEXTBANK_INBOUND_CATCHUP"
}

func (c *textsConfig) check(demo bool) error {
	switch c.provider {
	case "", "sim", "twilio":
	default:
		return fmt.Errorf("--provider %q: want twilio or sim", c.provider)
	}
	if c.workers < 1 || c.workers > 256 {
		return fmt.Errorf("--send-workers %d: want 1 to 256", c.workers)
	}
	if c.catchUpEvery != 0 && (c.catchUpEvery < minCatchUpEvery || c.catchUpEvery > 24*time.Hour) {
		return fmt.Errorf("--inbound-catchup %v: want %v to 24h, or 0 for a catch-up at the start only", c.catchUpEvery, minCatchUpEvery)
	}
	if c.provider != "twilio" {
		return nil
	}
	if demo {
		// The demo seeds accounts whose password is published (the README
		// and the sign-in screen give it): never beside real texts.
		return errors.New("--demo runs on the simulated network only: its accounts' password is public; leave out --demo, or --provider twilio")
	}
	if c.token != "" && c.tokenFile != "" {
		// Either may come from its variable (a unit file's Environment=
		// left over from before the token moved to a file): name both.
		return errors.New("the Twilio auth token is given twice: by --twilio-auth-token (or TEXTBANK_TWILIO_AUTH_TOKEN) and by --twilio-auth-token-file (or TEXTBANK_TWILIO_AUTH_TOKEN_FILE); keep only the file")
	}
	if c.tokenFile != "" {
		raw, err := os.ReadFile(c.tokenFile)
		if err != nil {
			return fmt.Errorf("--twilio-auth-token-file: %w", err)
		}
		c.token = strings.TrimSpace(string(raw))
		if c.token == "" {
			return fmt.Errorf("--twilio-auth-token-file %s is empty; write the account's auth token in it", c.tokenFile)
		}
	}
	var missing []string
	if c.sid == "" {
		missing = append(missing, "--twilio-account-sid")
	}
	if c.token == "" {
		missing = append(missing, "--twilio-auth-token-file (or TEXTBANK_TWILIO_AUTH_TOKEN)")
	}
	if c.publicURL == "" {
		missing = append(missing, "--public-url")
	}
	if len(missing) > 0 {
		return fmt.Errorf("--provider twilio needs %s", strings.Join(missing, ", "))
	}
	// twilio.New refuses it too, without knowing the flag.
	if u, err := url.Parse(c.publicURL); err == nil && u.Scheme == "http" && !c.twilioConfig().LoopbackHTTP() {
		return fmt.Errorf("--public-url %s (TEXTBANK_PUBLIC_URL) must be https with --provider twilio: %s", twilio.ShownURL(c.publicURL), twilio.PlainHTTPWhy)
	}
	_, err := twilio.New(c.twilioConfig())
	return err
}

func (c *textsConfig) twilioConfig() twilio.Config {
	return twilio.Config{AccountSID: c.sid, AuthToken: c.token, PublicURL: c.publicURL, APIURL: c.apiURL}
}

// warnLooseTokenFile warns when the auth token file is readable by other
// users of the machine: with the token anyone can send texts on the
// campaign's account and forge its webhooks. A warning, not a refusal:
// some platforms mount secrets 0644 unless told otherwise. Windows has no
// such mode bits.
func warnLooseTokenFile(path string, log zerolog.Logger) {
	if path == "" || runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	log.Warn().Str("file", path).Str("mode", fmt.Sprintf("%04o", fi.Mode().Perm())).
		Msg("the Twilio auth token file is readable by other users of this machine; make it readable by textbankd's user alone (chmod 600)")
}

// phones is the provider serve wires in, and what must be closed after.
type phones struct {
	provider sms.Provider
	sim      *simnet.Network // when simulated: replies need the server attached
	webhooks func(r sms.Receiver, st sms.StatusReceiver) http.Handler
	// twilio is the provider when it is Twilio: its account is checked at
	// start (twilio_check.go).
	twilio *twilio.Provider
}

func newPhones(c textsConfig, dataDir string, log zerolog.Logger) (*phones, error) {
	switch c.provider {
	case "twilio":
		p, err := twilio.New(c.twilioConfig())
		if err != nil {
			return nil, refuse(err)
		}
		warnLooseTokenFile(c.tokenFile, log)
		if c.twilioConfig().LoopbackHTTP() {
			log.Warn().Str("public_url", twilio.ShownURL(c.publicURL)).Msg("--public-url is plain http on a loopback address: only a local stand-in " +
				"of Twilio's API (--twilio-api-url) can call its webhooks; with Twilio, give the https address of the reverse proxy")
		}
		return &phones{provider: p, twilio: p, webhooks: func(r sms.Receiver, st sms.StatusReceiver) http.Handler {
			wh := &twilio.Webhooks{AuthToken: c.token, PublicURL: c.publicURL, Receiver: r, Statuses: st,
				Log: log.With().Str("component", "twilio").Logger()}
			return wh.Handler()
		}}, nil
	case "sim":
		// With --db nothing else makes --data, yet the journal lives there.
		if err := makeDataDir(dataDir, "the simulated network's journal"); err != nil {
			return nil, refuse(err)
		}
		netw := simnet.New(simnet.DefaultConfig(), log.With().Str("component", "simnet").Logger())
		if err := netw.UseJournal(filepath.Join(dataDir, simJournal)); err != nil {
			// A damaged line, a journal another user's: still there
			// after a restart.
			netw.Close()
			return nil, refuse(err)
		}
		return &phones{provider: netw, sim: netw}, nil
	}
	return &phones{provider: noProvider{}}, nil
}

func (p *phones) close() {
	if p.sim != nil {
		p.sim.Close()
	}
}
