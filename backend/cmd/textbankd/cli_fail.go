package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server"
)

// How a command's failure is told: a usage mistake with the command's
// usage and exit status 2, any other in words (or --json) with 1, and the
// TEXTBANK_* variables that gave a flag named after it.

// errNoCampaign is the answer of a command that acts on one campaign
// given no --campaign (its usage line names the flag: command.needs).
var errNoCampaign = errors.New("name the campaign with --campaign CODE")

// usageError is a command given the wrong arguments: told with the
// command's usage and exit status 2, as a wrong count of arguments is.
type usageError struct{ error }

// argsProblem checks the arguments of a command that takes any number
// (cmd.nargs -1) before anything is opened, if it has a check.
func argsProblem(cmd command, args []string, o *cliOpts) error {
	if cmd.checkArgs == nil {
		return nil
	}
	if err := cmd.checkArgs(args, o); err != nil {
		return usageError{err}
	}
	return nil
}

// finish turns what a command's run returned into its exit status.
func (c *cli) finish(cmd command, err error) int {
	if err == nil {
		return 0
	}
	var ue usageError
	switch {
	case !errors.As(err, &ue):
		return c.fail(cmd.name, err)
	case c.opts.json:
		c.fail(cmd.name, err)
	default:
		fmt.Fprintf(c.stderr, "textbankd %s: %v\n\n", cmd.name, ue.error)
		printCommandUsage(c.stderr, cmd)
	}
	return 2
}

// fail reports err (as JSON with --json, unless stdout holds the
// command's output: stdoutTaken) and returns the exit status.
func (c *cli) fail(name string, err error) int {
	var taken stdoutTaken
	if c.opts.json && !errors.As(err, &taken) {
		out := map[string]any{"error": err.Error()}
		var ps campaignfile.Problems
		if errors.As(err, &ps) {
			list := make([]map[string]any, 0, len(ps))
			for _, p := range ps {
				list = append(list, map[string]any{"path": p.Path, "line": p.Line, "message": p.Msg})
			}
			out["problems"] = list
		}
		var ie *server.ImportError
		if errors.As(err, &ie) && len(ie.Problems) > 0 {
			list := make([]map[string]any, 0, len(ie.Problems))
			for _, p := range ie.Problems {
				list = append(list, map[string]any{"line": p.Line, "column": p.Column, "message": p.Msg})
			}
			out["problems"] = list
		}
		c.printJSON(out)
		return 1
	}
	fmt.Fprintf(c.stderr, "textbankd %s: %v\n", name, err)
	if len(c.fromEnv) > 0 {
		names := slices.Sorted(maps.Keys(c.fromEnv))
		var from []string
		for _, n := range names {
			from = append(from, fmt.Sprintf("--%s from %s", n, c.fromEnv[n]))
		}
		fmt.Fprintf(c.stderr, "(taken from the environment, not typed: %s)\n", strings.Join(from, ", "))
	}
	return 1
}

// givenOnCommandLine: the flag is among args, as -name, --name or with =.
func givenOnCommandLine(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}
