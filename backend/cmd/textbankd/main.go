// Command textbankd is the Textbank campaign server.
//
//	textbankd serve --addr 127.0.0.1:8787 --data DIR [--db postgres://...] [--demo] [--log-level info]
//	textbankd migrate --data DIR | --db postgres://...
//	textbankd campaign|contacts|export|stats|admin|users|numbers|unroutable ... --data DIR (organizer commands)
//	textbankd sim text BODY --from PHONE --to NUMBER --data DIR (a contact's text, on a running simulated network)
//
// Every flag has a TEXTBANK_* environment variable, named in its help,
// but those to be typed each time (--yes, users sign-out --all, opt-outs
// undo --by, sim text's --from, --to and --id), whose help says "no
// variable" (envvars_test.go checks both); a flag given on the command
// line wins over the environment.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/loglevel"
	"github.com/textbank/textbank/backend/logsafe"
	"github.com/textbank/textbank/backend/server"
)

// version is the build's version, set by the Makefile's LDFLAGS
// (-X main.version=...) like the desktop app's; GET /healthz reports it.
var version = "dev"

func main() {
	// SIGHUP stops the server as SIGTERM does: it comes from a closed SSH
	// session or a log rotation's kill -HUP, and Go's default for it ends
	// the process as abruptly as SIGKILL. (The log is stderr: there is no
	// file to reopen.)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `textbankd: the Textbank campaign server

Usage:
  textbankd serve [flags]    run the server
  textbankd migrate          apply the database's migrations and print its schema version
  textbankd campaign create|update FILE, campaign list, campaign archive|new-code CODE|ID --yes
  textbankd contacts import FILE, contacts release EMAIL --campaign CODE|ID
  textbankd conversations reassign EMAIL --campaign CODE|ID [--to EMAIL]  hand a volunteer's conversations to organizers
  textbankd opt-outs import FILE --org NAME  opt out the numbers of another tool's opt-out list
  textbankd opt-outs undo PHONE --org NAME --by EMAIL  lift an opt-out a volunteer's report filed by mistake
  textbankd export reports|messages|opt-outs|opt-out-lifts
  textbankd stats --action ID  (or --campaign CODE --action-title TITLE, as export takes)
  textbankd admin add|remove EMAIL --campaign CODE|ID
  textbankd members list --campaign CODE|ID, members remove|readmit EMAIL --campaign CODE|ID  take a volunteer off a campaign, or let them back
  textbankd users list, users add|rename|password|sign-out EMAIL, users sign-out --all --yes
  textbankd numbers add|list|remove  manage campaigns' sending numbers
  textbankd unroutable       list inbound texts no conversation claimed, with their IDs
  textbankd unroutable handle|reopen ID  mark one handled, or open again
  textbankd loadtest         load a server on this machine and check nothing was lost or doubled
  textbankd sim text BODY --from PHONE --to NUMBER  a contact's text of your choosing, on a server running the simulated network
  textbankd version          print the version this binary was built with (also --version)
  textbankd COMMAND --help   one command's flags
  textbankd help             show this help

Flags of serve (each also read from its environment variable; flags win):
`

// run is main without the process: testable with any args and env.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 2 && args[0] == "help" {
		// "textbankd help users": that group's help, as "users --help".
		args = []string{args[1], "--help"}
	}
	if len(args) == 0 || isHelp(args[0]) {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "version", "--version", "-version":
		return printVersion(args[1:], stdout, stderr, getenv)
	case "serve":
		cfg, err := parseServe(args[1:], getenv, stderr)
		if errors.Is(err, flag.ErrHelp) {
			printServeUsage(stdout)
			return 0
		}
		if err != nil {
			// A flag is wrong (78, left stopped), or the system failed to
			// read what one names (--twilio-auth-token-file on a failing
			// disk: 1, restarted).
			code := serveExit(refuse(err))
			hint := ""
			if code == exitRefused {
				hint = "\n(textbankd serve --help lists its flags)"
			}
			fmt.Fprintf(stderr, "textbankd serve: %v%s\n", err, hint)
			return code
		}
		log := newLogger(stderr, cfg.logLevel)
		defer server.TuneGC(getenv)()
		err = serve(ctx, cfg, log)
		if err != nil {
			log.Error().Err(err).Msg("textbankd stopped")
		}
		return serveExit(err)
	case "campaign", "contacts", "conversations", "export", "stats", "admin", "members", "users", "numbers", "opt-outs", "unroutable", "migrate", "loadtest", "sim":
		return runGroup(ctx, args[0], args[1:], os.Stdin, stdout, stderr, getenv)
	case "optouts", "optout", "opt-out":
		// Spelt as export opt-outs spells it; the other spellings are what
		// an organizer types from memory.
		return runGroup(ctx, "opt-outs", args[1:], os.Stdin, stdout, stderr, getenv)
	default:
		// The whole usage is hundreds of lines: a typo gets one.
		fmt.Fprintf(stderr, "textbankd: unknown command %q.%s Run \"textbankd help\" for the list.\n", args[0], didYouMean(args[0], commandNames()))
		return 2
	}
}

// commandNames are the first words textbankd takes.
func commandNames() []string {
	names := []string{"serve", "version"}
	for g := range commandGroups() {
		names = append(names, g)
	}
	return names
}

// didYouMean names the command a typo is closest to (at most two letters
// off), as ` Did you mean "campaign"?`, or "" if none is.
func didYouMean(typed string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(typed, n); d < bestD || d == bestD && n < best {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// printVersion is textbankd version (and --version): the version the
// binary was built with, as GET /healthz reports it; with --json (or
// TEXTBANK_JSON) as {"version"}, as every other command takes --json.
func printVersion(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print machine-readable JSON instead of text (TEXTBANK_JSON)")
	if v := getenv("TEXTBANK_JSON"); v != "" {
		if err := setFromEnv(fs, "json", "TEXTBANK_JSON", v); err != nil {
			fmt.Fprintf(stderr, "textbankd version: %v\n", err)
			return 2
		}
	}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, "  textbankd version\n      print the version this binary was built with (also textbankd --version)")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "textbankd version: %v\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "textbankd version: takes no arguments, got %q\n", fs.Arg(0))
		return 2
	}
	switch {
	case *asJSON:
		// The string /healthz reports, "dev" included: a script compares it.
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			Version string `json:"version"`
		}{version})
	case version == "dev":
		// A plain go build or go run: say how to get a real version.
		fmt.Fprintln(stdout, "textbankd dev (built without a version; make textbankd stamps the release's)")
	default:
		fmt.Fprintf(stdout, "textbankd %s\n", version)
	}
	return 0
}

func isHelp(a string) bool {
	return a == "help" || a == "-h" || a == "--help" || a == "-help"
}

// printServeUsage is serve --help: on stdout, so that it can be paged.
func printServeUsage(w io.Writer) {
	fmt.Fprint(w, "textbankd serve [flags]: run the campaign server\n\nFlags (each also read from its environment variable; flags win):\n")
	fs, _ := serveFlags(&serveConfig{})
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// setFromEnv sets flag name from its environment variable key, and names
// what the variable should hold when its value does not fit (the flag
// package says only "parse error").
func setFromEnv(fs *flag.FlagSet, name, key, v string) error {
	err := fs.Set(name, v)
	if err == nil {
		return nil
	}
	why := err.Error()
	if g, ok := fs.Lookup(name).Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case bool:
			why = "want true or false (or 1 or 0)"
		case int:
			why = "want a whole number"
		case time.Duration:
			why = "want a duration such as 40s or 2m"
		}
	}
	return fmt.Errorf("%s=%q: %s", key, v, why)
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	fs, _ := serveFlags(&serveConfig{})
	fs.SetOutput(w)
	fs.PrintDefaults()
	printOrganizerUsage(w)
}

type serveConfig struct {
	addr string
	data string
	db   string
	// adoptGrace: 0 leaves the PostgreSQL store's default.
	adoptGrace time.Duration
	demo       bool
	logLevel   zerolog.Level
	levelRaw   string
	texts      textsConfig
	// proxies: --trusted-proxies, parsed.
	proxies    []netip.Prefix
	proxiesRaw string
	// signups: --signups-per-hour, accounts one address may create.
	signups int
	// conns: the connection caps (serve_conns.go).
	conns connsConfig
	// secretFlags are the flags typed on the command line with a secret
	// in them, which serve warns of (secretsTyped).
	secretFlags []string
	// envDBOverridden: TEXTBANK_DB is set and a --db typed over it names
	// another database, which serve says (the flag wins).
	envDBOverridden bool
}

// serveFlags defines serve's flags; env maps each flag to its variable.
func serveFlags(cfg *serveConfig) (*flag.FlagSet, map[string]string) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8787", "address to listen on (TEXTBANK_ADDR)")
	fs.StringVar(&cfg.data, "data", "textbank-data", "directory for the SQLite database (and the simulated network's journal); logs go to stderr (TEXTBANK_DATA)")
	fs.StringVar(&cfg.db, "db", "", dbFlagHelp)
	fs.BoolVar(&cfg.demo, "demo", false, "seed the demo campaign (join code 123456) and use the simulated phone network (TEXTBANK_DEMO)")
	fs.StringVar(&cfg.levelRaw, "log-level", "info", "log level: "+loglevel.Names+" (TEXTBANK_LOG_LEVEL)")
	fs.DurationVar(&cfg.adoptGrace, "adopt-grace", 0, "with --db: how long another server's lock must have been free before this one takes over its texts; "+
		"at least 5s; shorter than the longest provider call (30 s) plus 4 s risks a text sent twice when a server's database connection is cut; 0: 40s (TEXTBANK_ADOPT_GRACE)")
	fs.StringVar(&cfg.proxiesRaw, "trusted-proxies", "", "the reverse proxies in front of this server, comma-separated IPs or CIDR ranges (e.g. 127.0.0.1 or 10.0.0.0/24): "+
		"their X-Forwarded-For names the client that sign-in, sign-up and join code throttling counts by; none by default (TEXTBANK_TRUSTED_PROXIES)")
	fs.IntVar(&cfg.signups, "signups-per-hour", server.DefaultSignupsPerHour, "how many accounts one client address may create within an hour; "+
		"more sign-ups are answered 429 (TEXTBANK_SIGNUPS_PER_HOUR)")
	env := map[string]string{
		"signups-per-hour": "TEXTBANK_SIGNUPS_PER_HOUR",
		"trusted-proxies":  "TEXTBANK_TRUSTED_PROXIES",
		"adopt-grace":      "TEXTBANK_ADOPT_GRACE",
		"addr":             "TEXTBANK_ADDR",
		"data":             "TEXTBANK_DATA",
		"db":               "TEXTBANK_DB",
		"demo":             "TEXTBANK_DEMO",
		"log-level":        "TEXTBANK_LOG_LEVEL",
	}
	textsFlags(fs, &cfg.texts, env)
	connsFlags(fs, &cfg.conns, env)
	return fs, env
}

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fs, env := serveFlags(&cfg)
	// The caller prints the error, and the flags on --help (to stdout).
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	// Environment first, then the command line over it.
	for name, key := range env {
		if v := getenv(key); v != "" {
			if err := setFromEnv(fs, name, key, v); err != nil {
				return cfg, err
			}
		}
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	lvl, err := loglevel.Parse(cfg.levelRaw)
	if err != nil {
		return cfg, err
	}
	cfg.logLevel = lvl
	if cfg.data == "" {
		return cfg, errors.New("--data must name a directory")
	}
	if err := checkDB(cfg.db); err != nil {
		return cfg, err
	}
	if err := checkAdoptGrace(cfg.adoptGrace, cfg.db); err != nil {
		return cfg, err
	}
	if cfg.proxies, err = server.ParseTrustedProxies(cfg.proxiesRaw); err != nil {
		return cfg, fmt.Errorf("--trusted-proxies: %w", err)
	}
	if cfg.signups < 1 || cfg.signups > 100_000 {
		return cfg, fmt.Errorf("--signups-per-hour %d: want 1 to 100000", cfg.signups)
	}
	if err := cfg.conns.check(); err != nil {
		return cfg, err
	}
	if err := cfg.texts.check(cfg.demo); err != nil {
		return cfg, err
	}
	if err := checkProviderWithDB(cfg.db, cfg.texts.provider, cfg.demo); err != nil {
		return cfg, err
	}
	cfg.secretFlags = secretsTyped(args, cfg)
	if v := getenv("TEXTBANK_DB"); v != "" && givenOnCommandLine(args, "db") && !sameDatabase(v, cfg.db) {
		cfg.envDBOverridden = true
	}
	return cfg, nil
}

// newLogger writes readable lines to a terminal and JSON otherwise.
func newLogger(w io.Writer, level zerolog.Level) zerolog.Logger {
	out := w
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			out = zerolog.ConsoleWriter{Out: w, TimeFormat: time.Kitchen}
		}
	}
	// Emails and contacts' numbers in errors are masked (logsafe).
	return zerolog.New(logsafe.Writer(out)).Level(level).With().Timestamp().Logger()
}
