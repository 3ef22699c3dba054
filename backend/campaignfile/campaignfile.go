// Package campaignfile reads the file an organizer writes to create or
// update a campaign and its actions (YAML, or JSON, which is YAML too) and
// checks it. Every problem is reported at once with its place in the file,
// so one round of edits fixes them all. It is pure: checks that need the
// database (a join code in use, an unknown admin) are the server's.
package campaignfile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/texting"
)

// File is a campaign file. Field names are the YAML keys.
type File struct {
	Organization string   `yaml:"organization" json:"organization"`
	Campaign     Campaign `yaml:"campaign" json:"campaign"`
	Actions      []Action `yaml:"actions" json:"actions"`

	root *yaml.Node // for line numbers
}

// Campaign is the campaign part of a file.
type Campaign struct {
	Name  string `yaml:"name" json:"name"`
	Issue string `yaml:"issue" json:"issue"`
	// JoinCode is 6 digits, or "generate" when creating.
	JoinCode string `yaml:"join_code" json:"join_code"`
	Public   bool   `yaml:"public" json:"public"`
	// Admins are the emails of the campaign's admins (accounts that exist).
	Admins []string `yaml:"admins" json:"admins"`
	// Contact is whom volunteers ask about the campaign: a name and how to
	// reach them, one line, shown on each action's page. Optional.
	Contact string `yaml:"contact" json:"contact"`
	// SearchJoinsPerHour bounds joins through search (searchjoins.go).
	SearchJoinsPerHour *int `yaml:"search_joins_per_hour" json:"search_joins_per_hour"`
}

// Action is one action of the campaign.
type Action struct {
	// ID names an existing action in an update; empty for a new one.
	ID           string `yaml:"id" json:"id"`
	Type         string `yaml:"type" json:"type"`
	Title        string `yaml:"title" json:"title"`
	Description  string `yaml:"description" json:"description"`
	Instructions string `yaml:"instructions" json:"instructions"`
	// Creator is the admin who receives reassigned conversations; the first
	// admin when empty.
	Creator string `yaml:"creator" json:"creator"`
	// ContactFields are the custom CSV columns the scripts may use.
	ContactFields []string `yaml:"contact_fields" json:"contact_fields"`
	// ShownFields are the custom columns volunteers see in a conversation's
	// details besides those the scripts use (texting.SeenFields); the
	// others stay on the server, in the exports. Left out, none: an update
	// refuses to leave it out of an action that shows some now.
	ShownFields     *[]string        `yaml:"shown_fields" json:"shown_fields"`
	Scripts         []string         `yaml:"scripts" json:"scripts"`
	ResponseScripts []ResponseScript `yaml:"response_scripts" json:"response_scripts"`
	ReportFields    []ReportField    `yaml:"report_fields" json:"report_fields"`
	TextingHours    Hours            `yaml:"texting_hours" json:"texting_hours"`
	BatchSize       int              `yaml:"batch_size" json:"batch_size"`
	// AllowFreeText lets volunteers type their own replies (FreeText).
	// Left out, a new action allows response scripts only, since typing is
	// allowed only when the action allows it (SPEC, Volunteer 6); an update
	// refuses to leave it out of an action that allows typing now, since a
	// file written when it defaulted to true would turn typing off unseen.
	AllowFreeText *bool `yaml:"allow_free_text" json:"allow_free_text"`
}

// Shown is the file's shown_fields, none when left out.
func (a *Action) Shown() []string {
	if a.ShownFields == nil {
		return nil
	}
	return *a.ShownFields
}

// FreeText says whether volunteers may type their own replies: only when
// the file says allow_free_text: true.
func (a *Action) FreeText() bool { return a.AllowFreeText != nil && *a.AllowFreeText }

type ResponseScript struct {
	ID    string   `yaml:"id" json:"id"`
	Label string   `yaml:"label" json:"label"`
	Body  string   `yaml:"body" json:"body"`
	Tags  []string `yaml:"tags" json:"tags"`
}

type ReportField struct {
	Key     string   `yaml:"key" json:"key"`
	Label   string   `yaml:"label" json:"label"`
	Kind    string   `yaml:"kind" json:"kind"`
	Choices []string `yaml:"choices" json:"choices"`
}

type Hours struct {
	Start string `yaml:"start" json:"start"`
	End   string `yaml:"end" json:"end"`
}

// Defaults filled in by Parse when a field is absent.
const (
	DefaultHoursStart = "09:00"
	DefaultHoursEnd   = "21:00"
	// GenerateCode asks for a fresh random join code.
	GenerateCode = "generate"
)

// Problem is one thing wrong with a file, at Path (such as
// "actions[0].scripts[1]") on Line (0 when unknown).
type Problem struct {
	Path string
	Line int
	Msg  string
}

func (p Problem) String() string {
	switch {
	case p.Path != "" && p.Line > 0:
		return fmt.Sprintf("%s (line %d): %s", p.Path, p.Line, p.Msg)
	case p.Path != "":
		return p.Path + ": " + p.Msg
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return p.Msg
}

// Problems is every problem found; as an error it lists them one a line.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	if len(ps) == 1 {
		b.WriteString("the campaign file has 1 problem:")
	} else {
		fmt.Fprintf(&b, "the campaign file has %d problems:", len(ps))
	}
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// SortByLine orders the problems as they stand in the file, so that an
// organizer fixing them works down it (the checks find them by topic).
func (ps Problems) SortByLine() {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
}

// maxFileBytes bounds a campaign file; real ones are a few kilobytes.
const maxFileBytes = 1 << 20

// Parse reads a campaign file. Syntax errors, unknown keys, values of
// the wrong type and text holding a NUL come back as Problems; defaults
// are filled in. Parse does not judge the content: call Check.
func Parse(data []byte) (*File, error) {
	if len(data) > maxFileBytes {
		return nil, Problems{{Msg: fmt.Sprintf("the file is %d bytes; a campaign file is at most %d", len(data), maxFileBytes)}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{{Msg: "the file is empty; start from examples/campaign.yaml"}}
	}
	// yaml refuses a raw NUL too, but without saying where. A UTF-16 file
	// (Windows Notepad's "Unicode") has one after every ASCII letter: yaml
	// reads it by its byte-order mark, and nulProblems below looks at its
	// values.
	utf16 := utf16BOM(data)
	if i := bytes.IndexByte(data, 0); i >= 0 && !utf16 {
		return nil, Problems{{Line: 1 + bytes.Count(data[:i], []byte("\n")), Msg: nulchar.Refusal}}
	}
	if !utf16 && !utf8.Valid(data) {
		return nil, Problems{notUTF8(data)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{syntaxProblem(data, err)}
	}
	if p, ok := indentedTop(&root); ok {
		return nil, Problems{p}
	}
	f := &File{root: &root}
	given, ps := batchSizes(&root)
	ps = append(ps, searchJoinsGiven(&root)...)
	// Here, not in Check: the server reads the database by the file's
	// names and ids before it checks, and PostgreSQL fails on a NUL.
	ps = append(ps, nulProblems(&root, "")...)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, Problems{yamlProblem(err.Error())}
		}
		for _, e := range te.Errors {
			p, ok := typeProblem(&root, e)
			if !ok {
				p = yamlProblem(e)
			}
			// batchSizes or nulProblems said it better, naming the field.
			if !slices.ContainsFunc(ps, func(b Problem) bool { return b.Line == p.Line }) {
				ps = append(ps, p)
			}
		}
	}
	if len(ps) > 0 {
		ps.SortByLine()
		return nil, ps
	}
	for i := range f.Actions {
		a := &f.Actions[i]
		if a.Type == "" {
			a.Type = "p2p"
		}
		if i >= len(given) || !given[i] {
			a.BatchSize = texting.DefaultBatchSize
		}
		if a.TextingHours.Start == "" && a.TextingHours.End == "" {
			a.TextingHours = Hours{Start: DefaultHoursStart, End: DefaultHoursEnd}
		}
	}
	return f, nil
}

// batchSizes finds which actions give batch_size, and refuses one that is
// not a whole number: yaml reads 1.5 into an int as 1, silently, and an
// explicit 0 must be refused by Check rather than taken for "absent".
func batchSizes(root *yaml.Node) ([]bool, Problems) {
	var given []bool
	var ps Problems
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	top := root.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		if top[i].Value != "actions" || top[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for j, act := range top[i+1].Content {
			given = append(given, false)
			for k := 0; act.Kind == yaml.MappingNode && k+1 < len(act.Content); k += 2 {
				key, v := act.Content[k], act.Content[k+1]
				if key.Value != "batch_size" {
					continue
				}
				given[j] = true
				if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
					ps = append(ps, Problem{Path: ActionPath(j) + ".batch_size", Line: key.Line,
						Msg: fmt.Sprintf("%q is not a whole number of contacts (1-%d)", v.Value, MaxBatchSize)})
				}
			}
		}
	}
	return given, ps
}

// nulProblems names each value (or key) under n holding a NUL, escaped
// as "\0" or "\u0000" (a raw one Parse refused before).
func nulProblems(n *yaml.Node, path string) Problems {
	var ps Problems
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			ps = append(ps, nulProblems(c, path)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if nulchar.In(k.Value) {
				ps = append(ps, Problem{Path: path, Line: k.Line, Msg: fmt.Sprintf("key %q %s", k.Value, nulchar.Refusal)})
				continue
			}
			at := k.Value
			if path != "" {
				at = path + "." + k.Value
			}
			ps = append(ps, nulProblems(v, at)...)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ps = append(ps, nulProblems(c, ItemPath(path, i))...)
		}
	case yaml.ScalarNode:
		if nulchar.In(n.Value) {
			ps = append(ps, Problem{Path: path, Line: n.Line, Msg: nulchar.Refusal})
		}
	}
	// An alias's node is the anchor's, named where it stands.
	return ps
}

// notUTF8 names the line of data's first byte that is not UTF-8 (yaml
// says "invalid leading UTF-8 octet", with no line): most often a file
// saved as Windows-1252, whose é is one byte.
func notUTF8(data []byte) Problem {
	i := 0
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	return Problem{Line: 1 + bytes.Count(data[:i], []byte("\n")),
		Msg: fmt.Sprintf("the file is not UTF-8 text (byte 0x%02X is not a character in UTF-8); save it with the encoding UTF-8", data[i])}
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlProblem turns "yaml: line 3: did not find expected key" into a
// Problem on line 3, and words yaml's Go type names for people.
func yamlProblem(msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	p := Problem{Msg: msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Msg = m[2]
	}
	p.Msg = strings.NewReplacer(
		"in type campaignfile.File", "at the top level",
		"in type campaignfile.Campaign", "in campaign",
		"in type campaignfile.Action", "in an action",
		"in type campaignfile.ResponseScript", "in a response script",
		"in type campaignfile.ReportField", "in a report field",
		"in type campaignfile.Hours", "in texting_hours",
		"into []campaignfile.Action", "into a list of actions",
		"into campaignfile.", "into ",
		"!!str", "text", "!!int", "number", "!!seq", "list", "!!map", "mapping", "!!bool", "true/false",
	).Replace(p.Msg)
	return p
}

// Line is the line of the value at path ("actions[0].scripts[1]") in the
// parsed file, 0 if the path is not in the file.
func (f *File) Line(path string) int {
	if f == nil || f.root == nil || len(f.root.Content) == 0 {
		return 0
	}
	n := f.root.Content[0]
	line := 0 // a missing key has the line of its parent's key
	for _, seg := range splitPath(path) {
		if n == nil {
			break
		}
		switch {
		case seg.key != "" && n.Kind == yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg.key {
					next = n.Content[i+1]
					line = n.Content[i].Line
				}
			}
			n = next
		case seg.key == "" && n.Kind == yaml.SequenceNode && seg.index < len(n.Content):
			n = n.Content[seg.index]
			line = n.Line
		default:
			return line
		}
	}
	return line
}

type pathSeg struct {
	key   string
	index int
}

func splitPath(path string) []pathSeg {
	var out []pathSeg
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			out = append(out, pathSeg{key: name})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if err != nil {
				break
			}
			out = append(out, pathSeg{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}
