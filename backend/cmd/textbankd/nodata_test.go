package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoDataDirectoryNamed: an organizer command given neither --data nor
// --db, where the default textbank-data is not, says no directory was
// named and that sudo drops the variables (sudo -u textbank textbankd
// users add ..., after export TEXTBANK_DATA=..., said only "data directory
// textbank-data does not exist"), and makes nothing.
func TestNoDataDirectoryNamed(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, errOut := runCLI(t, nil, "a long walk to the polls 42\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla Organizer")
	for _, want := range []string{"no --data or --db was given (nor TEXTBANK_DATA or TEXTBANK_DB)", "sudo drops TEXTBANK_* variables", "--data /var/lib/textbank"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("no --data: exit %d, %q; want %q", code, errOut, want)
		}
	}
	if _, err := os.Stat("textbank-data"); !os.IsNotExist(err) {
		t.Errorf("the refused command made textbank-data: %v", err)
	}
	// Named, by flag or variable, a missing directory keeps its own words.
	missing := filepath.Join(t.TempDir(), "nope")
	for _, env := range []map[string]string{nil, {"TEXTBANK_DATA": missing}} {
		args := []string{"campaign", "list"}
		if env == nil {
			args = append(args, "--data", missing)
		}
		code, _, errOut = runCLI(t, env, "", args...)
		if code != 1 || !strings.Contains(errOut, "data directory "+missing+" does not exist") || strings.Contains(errOut, "no --data") {
			t.Errorf("--data %s (env %v): exit %d, %q", missing, env, code, errOut)
		}
	}
	// The default directory, there, is used as before.
	if err := os.Mkdir("textbank-data", 0o700); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, nil, "", "campaign", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("default textbank-data present: exit %d, %q %q", code, out, errOut)
	}
}
