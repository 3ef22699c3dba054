package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsNameOnlyRealFlags: every command the organizers' and operators'
// pages show (a `textbankd ...` line or span, or one naming a command
// without textbankd, `opt-outs import --org`) is given only flags that
// command has. ORGANIZER.md sent organizers to `opt-outs import --source`,
// a flag no version had; a renamed or dropped flag left in the docs is an
// organizer's first command refused.
func TestDocsNameOnlyRealFlags(t *testing.T) {
	known := map[string]*flag.FlagSet{}
	for _, cmds := range commandGroups() {
		for _, cmd := range cmds {
			known[cmd.name], _ = cmdFlags(cmd, &cliOpts{})
		}
	}
	known["serve"], _ = serveFlags(&serveConfig{})
	for _, doc := range []string{"docs/ORGANIZER.md", "docs/OPERATIONS.md", "docs/PERFORMANCE.md", "docs/ARCHITECTURE.md", "docs/API.md", "docs/SECURITY.md", "README.md"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", doc))
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		lines := strings.Split(string(b), "\n")
		for i := 0; i < len(lines); i++ {
			at, line := i+1, lines[i]
			// A shell line continued with \ is one command.
			for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
				i++
				line = strings.TrimSuffix(line, "\\") + " " + lines[i]
			}
			for _, use := range commandUses(line) {
				name, fs := findCommand(known, use)
				if fs == nil {
					continue
				}
				checked++
				for _, f := range flagRE.FindAllStringSubmatch(use, -1) {
					if fs.Lookup(f[1]) == nil {
						t.Errorf("%s:%d: textbankd %s has no flag --%s: %q", doc, at, name, f[1], use)
					}
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: no command found to check; has the page's form changed?", doc)
		}
	}
}

var (
	spanRE = regexp.MustCompile("`([^`]+)`")
	// A flag as typed: after a space, before =, a space or the end.
	flagRE = regexp.MustCompile(`(?:^|\s)--([a-z][a-z0-9-]*)`)
)

// commandUses are the parts of a doc line that may be commands: the
// backtick spans, and the line itself (a code block's), from its textbankd
// on, up to a comment.
func commandUses(line string) []string {
	var uses []string
	for _, m := range spanRE.FindAllStringSubmatch(line, -1) {
		uses = append(uses, strings.TrimPrefix(strings.TrimSpace(m[1]), "textbankd "))
	}
	if i := strings.Index(line, "textbankd "); i >= 0 && !strings.Contains(line[:i], "`") {
		rest := line[i+len("textbankd "):]
		if j := strings.Index(rest, " #"); j >= 0 {
			rest = rest[:j]
		}
		uses = append(uses, rest)
	}
	return uses
}

// findCommand finds the command a use starts with, the longest name
// first ("unroutable handle" before "unroutable").
func findCommand(known map[string]*flag.FlagSet, use string) (string, *flag.FlagSet) {
	w := strings.Fields(use)
	if len(w) >= 2 {
		if fs := known[w[0]+" "+w[1]]; fs != nil {
			return w[0] + " " + w[1], fs
		}
	}
	if len(w) >= 1 && known[w[0]] != nil {
		return w[0], known[w[0]]
	}
	return "", nil
}
