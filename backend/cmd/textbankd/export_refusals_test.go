package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrganizationExportsRefuseCleanly: export opt-outs and opt-out-lifts
// find the organization only once --out's temporary file is made, so a
// name no organization has, or none, must leave an earlier export as it
// was and nothing beside it, naming what was wrong; an --out no file can
// be written at is named before any work; --json gives the same words.
func TestOrganizationExportsRefuseCleanly(t *testing.T) {
	env, _, _ := organizerWithCampaign(t)
	dir := t.TempDir()
	out := writeFile(t, dir, "opt-outs.csv", "yesterday's export\n")
	kept := func(what string) {
		t.Helper()
		if raw, _ := os.ReadFile(out); string(raw) != "yesterday's export\n" {
			t.Fatalf("%s changed --out: %q", what, raw)
		}
		if left, _ := os.ReadDir(dir); len(left) != 1 {
			t.Fatalf("%s left files beside --out: %v", what, left)
		}
	}
	for _, what := range []string{"opt-outs", "opt-out-lifts"} {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"--org", "Shelbyville Votes"}, `no organization is named "Shelbyville Votes" (campaign list shows each campaign's organization)`},
			{nil, nameTheOrg},
			{[]string{"--org", "Springfield Votes", "--out", filepath.Join(dir, "no-such-dir", "x.csv")},
				"--out " + filepath.Join(dir, "no-such-dir", "x.csv") + ": cannot write there: no such file or directory"},
			{[]string{"--org", "Springfield Votes", "--out", dir}, "--out " + dir + " is a directory; name a file in it, such as " + filepath.Join(dir, "export.csv")},
		} {
			args := append([]string{"export", what, "--out", out}, tc.args...)
			code, stdout, errOut := runCLI(t, env, "", args...)
			if code != 1 || stdout != "" || errOut != "textbankd export "+what+": "+tc.want+"\n" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, stdout, errOut, tc.want)
			}
			kept(strings.Join(args, " "))
			code, stdout, _ = runCLI(t, env, "", append(args, "--json")...)
			if code != 1 || !strings.Contains(stdout, `"error":`) || !strings.Contains(stdout, strings.ReplaceAll(strings.SplitN(tc.want, " (", 2)[0], `"`, `\"`)) {
				t.Errorf("%v --json: exit %d, %s", args, code, stdout)
			}
			kept(strings.Join(args, " ") + " --json")
		}
	}
	// export reports names an unknown campaign before --out is touched.
	args := []string{"export", "reports", "--campaign", "000001", "--action-title", "Get Out The Vote", "--out", out}
	code, stdout, errOut := runCLI(t, env, "", args...)
	if code != 1 || stdout != "" || !strings.Contains(errOut, "export reports: no active campaign has join code 000001 (") {
		t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, errOut)
	}
	kept("export reports --campaign 000001")
	// The organization found, the earlier file is replaced whole.
	if code, stdout, errOut := runCLI(t, env, "", "export", "opt-outs", "--org", "Springfield Votes", "--out", out); code != 0 ||
		stdout != "Wrote 0 opt-outs to "+out+"\n" {
		t.Fatalf("export opt-outs: %d %q %q", code, stdout, errOut)
	}
	if raw, _ := os.ReadFile(out); !strings.HasPrefix(string(raw), "organization,phone,") {
		t.Fatalf("--out after the export: %q", raw)
	}
}
