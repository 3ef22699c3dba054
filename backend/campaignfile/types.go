package campaignfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlTypeError is one of yaml's type errors: "line 6: cannot unmarshal
// !!str `orla@ex...` into []string" (the value cut at 7 bytes past 10).
var yamlTypeError = regexp.MustCompile("^(?:yaml: )?line (\\d+): cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$")

// typeProblem words a yaml type error as the field it is under and what
// that field takes ("campaign.admins (line 6): must be a list ..., not the
// text "orla@example.org""), found by the line and value yaml names. false
// if the error is of another kind or the value is not found.
func typeProblem(root *yaml.Node, msg string) (Problem, bool) {
	m := yamlTypeError.FindStringSubmatch(msg)
	if m == nil {
		return Problem{}, false
	}
	line, _ := strconv.Atoi(m[1])
	want, ok := wantedKinds[m[4]]
	if !ok || root == nil || len(root.Content) == 0 {
		return Problem{}, false
	}
	path, n := findValue(root.Content[0], "", line, m[2], m[3])
	if n == nil {
		return Problem{}, false
	}
	if path == "" {
		return Problem{Line: line, Msg: fmt.Sprintf("the file must be keys and values (organization:, campaign:, actions:), not %s", givenKind(n))}, true
	}
	why := fmt.Sprintf("must be %s, not %s", want, givenKind(n))
	if m[4] == "string" && n.Kind == yaml.MappingNode {
		// Hi {first_name}: will you vote? reads as a key and its value.
		why += `; a text with ": " in it goes in double quotes, "like: this"`
	}
	return Problem{Path: path, Line: line, Msg: why}, true
}

// wantedKinds is what each Go type of the File takes, in the file's words.
var wantedKinds = map[string]string{
	"bool":                          "true or false",
	"string":                        "text",
	"int":                           "a whole number",
	"[]string":                      `a list (one "- " line per item, or [a, b])`,
	"campaignfile.Hours":            `start and end, like {start: "09:00", end: "21:00"}`,
	"[]campaignfile.Action":         "a list of actions",
	"[]campaignfile.ResponseScript": "a list of response scripts",
	"[]campaignfile.ReportField":    "a list of report fields",
	"campaignfile.File":             "keys and values",
	"campaignfile.Campaign":         "keys and values (name:, join_code:, admins: ...)",
	"campaignfile.Action":           "keys and values (title:, scripts: ...)",
	"campaignfile.ResponseScript":   "keys and values (id:, label:, body:)",
	"campaignfile.ReportField":      "keys and values (key:, label:, kind:)",
}

// givenKind words the value the file has.
func givenKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	switch n.ShortTag() {
	case "!!str":
		return "the text " + quoteShort(n.Value)
	case "!!int", "!!float":
		return "the number " + n.Value
	}
	return n.Value
}

// maxShown is how many characters of a value a problem quotes: a whole
// file that is no mapping (a contact list given as the campaign file) is
// one text, and quoting it all buried the problem under the file.
const maxShown = 60

// quoteShort is s quoted, cut to maxShown characters with "..." and its
// length after the quote when longer: inside it, "(30034 characters)" read
// as words of the file.
func quoteShort(s string) string {
	r := []rune(s)
	if len(r) <= maxShown {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q (%d characters)", string(r[:maxShown])+"...", len(r))
}

// findValue is the deepest value under n, first in file order, on line with
// yaml's tag and, for a scalar, the value yaml showed (cut to its first 7
// bytes and "..." past 10), and its path.
func findValue(n *yaml.Node, path string, line int, tag, shown string) (string, *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			at := n.Content[i].Value
			if path != "" {
				at = path + "." + at
			}
			if p, v := findValue(n.Content[i+1], at, line, tag, shown); v != nil {
				return p, v
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if p, v := findValue(c, ItemPath(path, i), line, tag, shown); v != nil {
				return p, v
			}
		}
	}
	// Deepest first: a block mapping starts on its first key's line, with
	// that key's value. An alias is not followed: its anchor is found
	// where it stands.
	if n.Line == line && n.ShortTag() == tag && (shown == "" || n.Value == shown ||
		(strings.HasSuffix(shown, "...") && strings.HasPrefix(n.Value, strings.TrimSuffix(shown, "...")))) {
		return path, n
	}
	return "", nil
}
