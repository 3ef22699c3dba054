package campaignfile

import "fmt"

// The paths a Problem names a file's values by: YAML keys joined by ".",
// a list's items counted from 0 as "[i]". Built here only, so that this
// package's checks and the server's (against its database) name a value
// alike and File.Line finds it.

// The file's values that the server's checks name too.
const (
	OrganizationPath = "organization"
	NamePath         = "campaign.name"
	JoinCodePath     = "campaign.join_code"
)

// ItemPath is item i of the list at path: "actions[0].scripts[1]" is
// ItemPath(ItemPath("actions", 0)+".scripts", 1).
func ItemPath(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// AdminPath is the campaign's admin i: "campaign.admins[i]".
func AdminPath(i int) string { return ItemPath("campaign.admins", i) }

// ActionPath is action i: "actions[i]", which the paths of its values
// (ScriptPath, "actions[i].title") begin with.
func ActionPath(i int) string { return ItemPath("actions", i) }

// ScriptPath is initial script j of the action at at (an ActionPath).
func ScriptPath(at string, j int) string { return ItemPath(at+".scripts", j) }

// ReportFieldPath is report field j of the action at at.
func ReportFieldPath(at string, j int) string { return ItemPath(at+".report_fields", j) }

// ResponseScriptPath is response script j of the action at at.
func ResponseScriptPath(at string, j int) string { return ItemPath(at+".response_scripts", j) }
