package campaignfile

import "testing"

// The paths read as the file's keys do, as the server's and this
// package's problems name them (and File.Line finds them).
func TestPaths(t *testing.T) {
	at := ActionPath(2)
	for got, want := range map[string]string{
		AdminPath(1):              "campaign.admins[1]",
		at:                        "actions[2]",
		ScriptPath(at, 0):         "actions[2].scripts[0]",
		ReportFieldPath(at, 3):    "actions[2].report_fields[3]",
		ResponseScriptPath(at, 4): "actions[2].response_scripts[4]",
		ItemPath("a.choices", 5):  "a.choices[5]",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
