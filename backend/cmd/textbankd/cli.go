package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/rs/zerolog"
	"golang.org/x/term"

	"github.com/textbank/textbank/backend/logsafe"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// command is one organizer subcommand ("campaign create"). Each works on
// the database of `textbankd serve --data DIR`, whether or not a server is
// running on it; sim text alone asks the running server (backend/server/simdoor).
type command struct {
	name string // "campaign create"
	args string // "FILE"
	// needs are the flags it cannot go without, for its usage line only
	// ("--campaign CODE|ID"): a usage that showed "admin add EMAIL" alone
	// was an organizer's first command refused.
	needs string
	nargs int // positional arguments required; -1: any number
	// checkArgs, for nargs -1, refuses arguments that cannot be right
	// (none where some are needed) before a database is opened: told with
	// the usage and exit status 2.
	checkArgs func(args []string, o *cliOpts) error
	summary   string
	// flags adds the command's own flags (beside --data and --json) and
	// returns flag name -> TEXTBANK_* variable.
	flags func(fs *flag.FlagSet, o *cliOpts) map[string]string
	run   func(ctx context.Context, c *cli, args []string) error
	// noStore: the command opens no database at --data (loadtest).
	noStore bool
	// ownStore: the command's flags define --data and --db, which mean
	// something else to it than the organizer's database (loadtest).
	ownStore bool
}

// cliOpts holds every organizer flag; each command uses some.
type cliOpts struct {
	data, db, out, action, campaign, title, region, org, name string
	to, note, by, from, providerID                            string
	json, all, yes, skipInvalid, latest, keepNameCase         bool
	limit                                                     int
	load                                                      loadOpts
}

// cli is what a running command has: its options, streams and the
// Organizer over the opened store.
type cli struct {
	opts           cliOpts
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	org            *server.Organizer
	st             store.Store // for commands the Organizer does not cover (numbers, unroutable)
	// readSecret reads a line without echo; nil unless stdin is a terminal.
	readSecret func() ([]byte, error)
	// set holds the flags given, on the command line or by variable: a
	// default may depend on another flag, yet a value given is kept.
	set map[string]bool
	// fromEnv: flags a TEXTBANK_* variable gave and the command line did
	// not ("campaign" -> "TEXTBANK_CAMPAIGN=482913"), told after a failure.
	fromEnv map[string]string
}

// where is the store option a next command needs to reach the same store
// as this one, for a hint to paste: "" when the defaults (or the
// environment, which the next command reads too) find it. A URL is shown
// with its password redacted, for the reader to put back.
func (c *cli) where() string {
	switch {
	case c.opts.db != "" && c.getenv("TEXTBANK_DB") != c.opts.db:
		return " --db '" + redactURL(c.opts.db) + "'"
	case c.opts.db == "" && c.opts.data != "textbank-data" && c.getenv("TEXTBANK_DATA") != c.opts.data:
		return " --data '" + c.opts.data + "'"
	}
	return ""
}

func commonFlags(fs *flag.FlagSet, o *cliOpts, store bool) map[string]string {
	fs.BoolVar(&o.json, "json", false, "print machine-readable JSON instead of text (TEXTBANK_JSON)")
	if !store {
		return map[string]string{"json": "TEXTBANK_JSON"}
	}
	fs.StringVar(&o.data, "data", "textbank-data", "the data directory of textbankd serve (TEXTBANK_DATA)")
	fs.StringVar(&o.db, "db", "", dbFlagHelp)
	return map[string]string{"data": "TEXTBANK_DATA", "db": "TEXTBANK_DB", "json": "TEXTBANK_JSON"}
}

// commandGroups are the organizer commands by first word, for main's
// dispatch and help.
func commandGroups() map[string][]command {
	return map[string][]command{
		"campaign":      campaignCommands(),
		"contacts":      contactsCommands(),
		"conversations": conversationsCommands(),
		"export":        exportCommands(),
		"stats":         statsCommands(),
		"admin":         adminCommands(),
		"members":       membersCommands(),
		"users":         usersCommands(),
		"numbers":       numbersCommands(),
		"opt-outs":      optOutsCommands(),
		"unroutable":    unroutableCommands(),
		"migrate":       migrateCommands(),
		"loadtest":      loadtestCommands(),
		"sim":           simCommands(),
	}
}

// runGroup runs "GROUP SUB args..." (or "stats args...", a group of one;
// or "unroutable [flags]", a group's own command beside its subcommands).
func runGroup(ctx context.Context, group string, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cmds := commandGroups()[group]
	var cmd *command
	rest := args
	if len(cmds) == 1 && cmds[0].name == group {
		cmd = &cmds[0]
	} else if len(args) > 0 {
		for i := range cmds {
			if cmds[i].name == group+" "+args[0] {
				cmd, rest = &cmds[i], args[1:]
			}
		}
	}
	if cmd == nil && (len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0])) {
		for i := range cmds {
			if cmds[i].name == group {
				cmd = &cmds[i]
			}
		}
	}
	if cmd == nil {
		switch {
		case len(args) == 0:
			// "textbankd export" alone: say what is missing before the usage.
			fmt.Fprintf(stderr, "textbankd %s: name what to do: %s\n\n", group, subcommandNames(group, cmds, "or"))
		case !isHelp(args[0]):
			fmt.Fprintf(stderr, "textbankd %s: unknown subcommand %q.%s The subcommands are %s.\n\n", group, args[0],
				didYouMean(args[0], subcommands(group, cmds)), subcommandNames(group, cmds, "and"))
		}
		w := stderr
		if len(args) > 0 && isHelp(args[0]) {
			w = stdout
		}
		for _, c := range cmds {
			printCommandUsage(w, c)
		}
		if len(args) > 0 && isHelp(args[0]) {
			return 0
		}
		return 2
	}
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		c.readSecret = func() ([]byte, error) { return term.ReadPassword(int(f.Fd())) }
	}
	fs, env := cmdFlags(*cmd, &c.opts)
	// Errors and --help are printed here: --help to stdout, to be paged.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.fromEnv = map[string]string{}
	for name, key := range env {
		if v := getenv(key); v != "" {
			if err := setFromEnv(fs, name, key, v); err != nil {
				// As a flag that does not parse: the usage names what fits.
				fmt.Fprintf(stderr, "textbankd %s: %v\n\n", cmd.name, err)
				printCommandUsage(stderr, *cmd)
				return 2
			}
			// Named after a failure: a value left in the environment is
			// one the organizer did not type this time. Never --db's (it
			// may hold a password) nor --data's (named in its errors).
			if name != "db" && name != "data" && !givenOnCommandLine(rest, name) {
				c.fromEnv[name] = key + "=" + v
			}
		}
	}
	if err := fs.Parse(interleave(rest, fs)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(stdout, *cmd)
			return 0
		}
		fmt.Fprintf(stderr, "textbankd %s: %v\n\n", cmd.name, err)
		printCommandUsage(stderr, *cmd)
		return 2
	}
	c.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { c.set[f.Name] = true })
	if cmd.nargs >= 0 && fs.NArg() != cmd.nargs {
		fmt.Fprintf(stderr, "textbankd %s: want %s, got %s\n\n", cmd.name, orNone(cmd.args), argCount(fs.NArg()))
		printCommandUsage(stderr, *cmd)
		return 2
	}
	if cmd.noStore {
		return c.finish(*cmd, cmd.run(ctx, c, fs.Args()))
	}
	if err := argsProblem(*cmd, fs.Args(), &c.opts); err != nil {
		return c.finish(*cmd, err) // before a database is opened (or made)
	}
	if err := noDataNamed(c.opts, c.set); err != nil {
		return c.fail(cmd.name, err)
	}
	st, err := openDB(ctx, c.opts.db, c.opts.data, false)
	if err != nil {
		return c.fail(cmd.name, err)
	}
	defer st.Close()
	c.st = st
	log := zerolog.New(logsafe.Writer(zerolog.ConsoleWriter{Out: stderr, NoColor: true})).Level(zerolog.WarnLevel).With().Timestamp().Logger()
	c.org, err = server.NewOrganizer(server.OrganizerConfig{Store: st, Log: log, Region: c.opts.region})
	if err != nil {
		return c.fail(cmd.name, err)
	}
	return c.finish(*cmd, cmd.run(ctx, c, fs.Args()))
}

// subcommandNames lists a group's subcommands for an error, the last
// after and (or or): "reports, messages or opt-outs".
func subcommandNames(group string, cmds []command, and string) string {
	names := subcommands(group, cmds)
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}

// subcommands are a group's second words: "reports", "messages"...
func subcommands(group string, cmds []command) []string {
	var names []string
	for _, c := range cmds {
		if sub := strings.TrimPrefix(c.name, group+" "); sub != c.name {
			names = append(names, sub)
		}
	}
	return names
}

func cmdFlags(cmd command, o *cliOpts) (*flag.FlagSet, map[string]string) {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	env := commonFlags(fs, o, !cmd.ownStore)
	if cmd.flags != nil {
		for k, v := range cmd.flags(fs, o) {
			env[k] = v
		}
	}
	return fs, env
}

// interleave lets flags follow the positional arguments ("import FILE
// --action ID"), as organizers type them: the flag package stops at the
// first non-flag.
func interleave(args []string, fs *flag.FlagSet) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil {
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				continue
			}
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	return append(flags, pos...)
}

func printCommandUsage(w io.Writer, cmd command) {
	fmt.Fprintf(w, "  %s\n      %s\n", strings.Join(strings.Fields("textbankd "+cmd.name+" "+cmd.args+" "+cmd.needs), " "), cmd.summary)
	var o cliOpts
	fs, _ := cmdFlags(cmd, &o)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w)
}

// printOrganizerUsage lists every organizer command with its flags.
func printOrganizerUsage(w io.Writer) {
	fmt.Fprint(w, "\nOrganizer commands (on the database of serve --data DIR, with or without a running server):\n\n")
	groups := commandGroups()
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		for _, c := range groups[g] {
			printCommandUsage(w, c)
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "no arguments"
	}
	return s
}

func (c *cli) printJSON(v any) {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// isTerminal reports whether w is a terminal (progress bars go there only).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// argCount says n arguments as a sentence does ("1 argument").
func argCount(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return fmt.Sprintf("%d arguments", n)
}
