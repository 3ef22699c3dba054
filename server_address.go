package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/prefs"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// defaultServer is used when neither --server, TEXTBANK_SERVER nor the
// Settings screen names one.
const defaultServer = "http://127.0.0.1:8787"

// chooseServer: --server or TEXTBANK_SERVER win, then the Settings
// screen's address, then the default.
func chooseServer(flagValue, saved string) (url string, fromFlag bool) {
	switch {
	case flagValue != "":
		return flagValue, true
	case saved != "":
		return saved, false
	}
	return defaultServer, false
}

// serverTyped reports whether --server was given on the command line, as
// opposed to its default, TEXTBANK_SERVER.
func serverTyped(fs *flag.FlagSet) bool {
	typed := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "server" {
			typed = true
		}
	})
	return typed
}

// serverGiven names where f.server came from, for an error about it.
func serverGiven(f flags) string {
	if f.serverFromEnv {
		return "TEXTBANK_SERVER"
	}
	return "--server"
}

// checkServerFlag holds a typed --server to the rule Settings holds a new
// address to (prefs.Encrypted: https://, or http:// to this computer): the
// one who typed it reads the error in their terminal. TEXTBANK_SERVER is
// not checked here: an app started at login, hidden in the tray, has no
// terminal, and exiting would leave the volunteer wondering why Textbank
// never appears; its address is refused in the window instead
// (activeServer).
func checkServerFlag(fs *flag.FlagSet, value string) error {
	if value == "" || !serverTyped(fs) {
		return nil
	}
	if err := prefs.Encrypted(value); err != nil {
		return fmt.Errorf("--server: %w", err)
	}
	return nil
}

// activeServer is the address this run uses, whether it came from --server
// or TEXTBANK_SERVER, and, for one the app will not connect to, what the
// window says to do ("" when it is fine). Demo mode runs its own server and
// is never refused.
func activeServer(f flags, saved string) (url string, fromFlag bool, refused string) {
	url, fromFlag = chooseServer(f.server, saved)
	if f.demo {
		return url, fromFlag, ""
	}
	return url, fromFlag, refusedServer(url, fromFlag && f.serverFromEnv)
}

// refusedServer is, for a plain http:// address to another computer (saved
// by Settings before the rule existed, or left in TEXTBANK_SERVER), what
// the window tells the volunteer to do; "" when the address is fine. The
// address is kept rather than dropped: the cache mirrors its server, and
// dropping it would empty the inbox and lose the unsent changes. An
// address from TEXTBANK_SERVER beats Settings, so its words say to change
// the variable: a new address in Settings alone would change nothing.
// That the inbox is kept is the client's to say (refusedProblem), while it
// is: the sign-in screen after Sign out shows this sentence too.
func refusedServer(url string, fromEnv bool) string {
	if prefs.Encrypted(url) == nil {
		return ""
	}
	const why = "Textbank no longer connects to %s%s: over plain http:// your password and conversations " +
		"would cross the network unencrypted. Ask your organizer for the server's https:// address, %s, " +
		"then restart Textbank."
	if fromEnv {
		return fmt.Sprintf(why, url, " (set in TEXTBANK_SERVER)",
			"set TEXTBANK_SERVER to it (or remove TEXTBANK_SERVER and enter the address in Settings)")
	}
	return fmt.Sprintf(why, url, "", "enter it in Settings")
}

// startHidden: --hidden (started at login) keeps the window in the tray,
// unless the address is refused. Then nothing syncs and no reply ever
// notifies, so the tray icon alone would never tell anyone; the window
// opens and says what to do.
func startHidden(hiddenFlag bool, refused string) bool {
	return hiddenFlag && refused == ""
}

// demoSetsEnvServerAside: a typed --demo runs its own server, so an
// address left in TEXTBANK_SERVER (for the volunteer's real campaign) is set
// aside for this run rather than refused; a typed --server with --demo
// still is, since one of the two was a mistake.
func demoSetsEnvServerAside(f *flags) {
	if f.demo && f.serverFromEnv {
		f.server, f.serverFromEnv = "", false
	}
}

// demoOptions are the embedded demo server's: it is this binary's code, so
// it reports this build's version (Settings' About read "Campaign server
// dev" beside "Textbank 0.1.0").
func demoOptions(dataDir string, network simnet.Config, log zerolog.Logger) demo.Options {
	return demo.Options{
		Dir:     filepath.Join(dataDir, "server"),
		Addr:    "127.0.0.1:0",
		Log:     log.With().Str("component", "demo-server").Logger(),
		Network: network,
		Version: version,
	}
}

// announceDemo logs the demo's server and says on w (the terminal of make
// run) how to text the demo volunteer as one of the contacts while the
// demo runs: the demo's folder is a new temporary one at each run, and
// textbankd sim text needs it (docs/ORGANIZER.md, section 1).
func announceDemo(w io.Writer, log zerolog.Logger, inst *demo.Instance, dir string) {
	log.Info().Str("url", inst.URL).Str("join_code", inst.Info.JoinCode).Str("data", dir).Msg("demo campaign server running")
	fmt.Fprintf(w, "Textbank demo: join with %s. To text the demo volunteer as %s while it runs:\n"+
		"  textbankd sim text --data %s --from %s --to %s \"Where do I vote?\"\n", inst.Info.JoinCode, demo.SampleContact, dir, demo.SampleContactPhone, demo.SendingNumbers()[0])
}
