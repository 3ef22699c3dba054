package main

import (
	"flag"
	"strings"
	"testing"
)

// TestEveryFlagHasItsVariable: main.go promises each flag a TEXTBANK_*
// variable. Walking every command's flags, each has one in its command's
// map and its help names it, or its help says it has none on purpose
// ("no variable": a flag to be typed each time, such as --yes); and a
// variable stands for one flag name everywhere. opt-outs undo --by had
// neither.
func TestEveryFlagHasItsVariable(t *testing.T) {
	type flags struct {
		fs  *flag.FlagSet
		env map[string]string
	}
	all := map[string]flags{}
	for _, cmds := range commandGroups() {
		for _, cmd := range cmds {
			fs, env := cmdFlags(cmd, &cliOpts{})
			all[cmd.name] = flags{fs, env}
		}
	}
	fs, env := serveFlags(&serveConfig{})
	all["serve"] = flags{fs, env}
	flagOf := map[string]string{} // variable -> flag name
	for name, c := range all {
		c.fs.VisitAll(func(f *flag.Flag) {
			key := c.env[f.Name]
			switch {
			case key == "" && !strings.Contains(f.Usage, "no variable"):
				t.Errorf("%s --%s has no TEXTBANK_* variable, and its help does not say so: %q", name, f.Name, f.Usage)
			case key != "" && !strings.Contains(f.Usage, key):
				t.Errorf("%s --%s: its help does not name its variable %s: %q", name, f.Name, key, f.Usage)
			case key != "" && flagOf[key] != "" && flagOf[key] != f.Name:
				t.Errorf("%s: %s stands for --%s here and --%s elsewhere", name, key, f.Name, flagOf[key])
			}
			if key != "" {
				flagOf[key] = f.Name
			}
		})
		for flagName := range c.env {
			if c.fs.Lookup(flagName) == nil {
				t.Errorf("%s maps a variable to --%s, which it does not have", name, flagName)
			}
		}
	}
}
