package campaignfile

import (
	"os"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/texting"
)

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func TestExampleFileIsValid(t *testing.T) {
	data, err := os.ReadFile("../../examples/campaign.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, string(data))
	if ps := Check(f, Create, nil); ps != nil {
		t.Fatalf("examples/campaign.yaml: %v", ps)
	}
	a := f.Actions[0]
	if len(a.Scripts) != 2 || len(a.ReportFields) != 5 || a.BatchSize != 100 || !a.FreeText() {
		t.Fatalf("example read as %+v", a)
	}
}

const good = `
organization: Org
campaign:
  name: C
  join_code: "123456"
  admins: [a@example.org]
actions:
  - title: GOTV
    contact_fields: [precinct]
    scripts: ["Hi {first_name}, precinct {precinct}"]
    response_scripts:
      - {id: thanks, label: Thanks, body: "Thanks {first_name|friend}", tags: [will_vote]}
    report_fields:
      - {key: will_vote, label: Will vote, kind: tag}
`

func TestDefaultsAndJSON(t *testing.T) {
	f := mustParse(t, good)
	a := f.Actions[0]
	if a.Type != "p2p" || a.BatchSize != texting.DefaultBatchSize || a.TextingHours != (Hours{"09:00", "21:00"}) {
		t.Fatalf("defaults: %+v", a)
	}
	// Typing one's own reply only when the action allows it (SPEC,
	// Volunteer 6): left out, response scripts only.
	if a.FreeText() || a.AllowFreeText != nil {
		t.Fatalf("allow_free_text left out read as true: %+v", a)
	}
	if ps := Check(f, Create, nil); ps != nil {
		t.Fatal(ps)
	}
	j := mustParse(t, `{"organization": "Org", "campaign": {"name": "C", "join_code": "generate", "admins": ["a@example.org"]},
		"actions": [{"title": "T", "scripts": ["Hi {first_name}"], "allow_free_text": false, "batch_size": 7}]}`)
	if ps := Check(j, Create, nil); ps != nil {
		t.Fatal(ps)
	}
	if j.Actions[0].FreeText() || j.Actions[0].BatchSize != 7 {
		t.Fatalf("JSON read as %+v", j.Actions[0])
	}
}

// TestAllowFreeTextAsWritten: the file's value, in YAML or JSON, is what
// the action gets; only an explicit true allows typing.
func TestAllowFreeTextAsWritten(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"", false},
		{"    allow_free_text: true\n", true},
		{"    allow_free_text: false\n", false},
	} { // (a value not a boolean is refused: TestParseErrors' "wrong type")
		f, err := Parse([]byte(good + tc.line))
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		if got := f.Actions[0].FreeText(); got != tc.want {
			t.Errorf("%q: AllowFreeText = %t, want %t", tc.line, got, tc.want)
		}
	}
	for _, tc := range []struct {
		field string
		want  bool
	}{{``, false}, {`, "allow_free_text": true`, true}, {`, "allow_free_text": false`, false}} {
		j := mustParse(t, `{"organization": "Org", "campaign": {"name": "C", "join_code": "generate", "admins": ["a@example.org"]},
			"actions": [{"title": "T", "scripts": ["Hi {first_name}"]`+tc.field+`}]}`)
		if got := j.Actions[0].FreeText(); got != tc.want {
			t.Errorf("JSON %q: AllowFreeText = %t, want %t", tc.field, got, tc.want)
		}
	}
}

// TestCheckNamesEveryProblem: each case is a file with problems; every
// expected problem is reported, with its place, all at once.
func TestCheckNamesEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		mode Mode
		src  string
		want []string
	}{
		{"unknown merge field lists every field, the volunteer's too", Create, `
organization: Org
campaign: {name: C, join_code: generate, admins: [a@example.org]}
actions:
  - title: T
    contact_fields: [precinct]
    scripts:
      - "Hi {first_name}"
      - "Vote at {polling_place}"
`, []string{"actions[0].scripts[1] (line 9): unknown merge field {polling_place}; the fields are first_name, last_name, full_name, zip, volunteer_name, volunteer_first_name, precinct"}},
		{"a misspelt merge field names the field likely meant", Create, `
organization: Org
campaign: {name: C, join_code: generate, admins: [a@example.org]}
actions:
  - title: T
    scripts:
      - "Hey {firstname}, vote Tuesday"
`, []string{"actions[0].scripts[0] (line 7): unknown merge field {firstname} (did you mean {first_name}?); the fields are first_name, last_name"}},
		{"hours like 25:00 and more, all at once", Create, `
organization: ""
campaign: {name: C, join_code: "12345", admins: [not-an-email, a@example.org, a@example.org]}
actions:
  - title: T
    type: sms-blast
    scripts: ["Hi {first_name"]
    texting_hours: {start: "25:00", end: "21:00"}
    batch_size: 5000
  - title: t
    scripts: []
    creator: b@example.org
`, []string{
			"organization (line 2): is required",
			"campaign.join_code",
			`"12345" is not 6 digits`,
			`campaign.admins[0] (line 3): "not-an-email" is not an email address`,
			"campaign.admins[2] (line 3): a@example.org is already campaign.admins[1]",
			`actions[0].type (line 6): "sms-blast" is not an action type`,
			"actions[0].scripts[0] (line 7): script syntax error at character 4",
			`actions[0].texting_hours (line 8): start: "25:00" is not a time of day`,
			"actions[0].batch_size (line 9): 5000 is not between 1 and 1000",
			`actions[1].title (line 10): "t" is also the title of actions[0]`,
			"actions[1].scripts (line 11): an action needs at least one initial script",
			"actions[1].creator (line 12): b@example.org is not in campaign.admins",
		}},
		{"report fields and response scripts", Create, `
organization: O
campaign: {name: C, join_code: generate, admins: [a@example.org]}
actions:
  - title: T
    scripts: ["Hi"]
    report_fields:
      - {key: notes, label: Notes, kind: text}
      - {key: Support, label: "", kind: choice, choices: [Yes]}
      - {key: age, label: Age, kind: number, choices: [a, b]}
      - {key: age, label: Age again, kind: rating}
    response_scripts:
      - {id: r, label: R, body: "ok", tags: [age]}
      - {id: r, label: R2, body: ""}
`, []string{
			`actions[0].report_fields[0].key (line 8): "notes" is built in`,
			`actions[0].report_fields[1].key (line 9): "Support" is not a key`,
			"actions[0].report_fields[1].label (line 9): is required",
			"actions[0].report_fields[1].choices (line 9): a choice needs at least 2 choices",
			"actions[0].report_fields[2].choices (line 10): only a field of kind choice has choices",
			`actions[0].report_fields[3].key (line 11): "age" is also the key of report_fields[2]`,
			`actions[0].report_fields[3].kind (line 11): "rating" is not a report field kind`,
			`actions[0].response_scripts[0].tags[0] (line 13): "age" is not a report field of kind tag`,
			`actions[0].response_scripts[1].id (line 14): "r" is also the id`,
			"actions[0].response_scripts[1].body (line 14): the script is empty",
		}},
		{"update needs a real code and ids are unique", Update, `
organization: O
campaign: {name: C, join_code: generate, admins: [a@example.org]}
actions:
  - {id: x1, title: A, scripts: ["Hi"]}
  - {id: x1, title: B, scripts: ["Hi"]}
`, []string{
			`campaign.join_code (line 3): an update names the campaign by its 6-digit code, not "generate"`,
			"actions[1].id (line 6): actions[0] has the same id",
		}},
		{"create has no ids, no actions at all", Create, `
organization: O
campaign: {name: C, join_code: generate}
`, []string{
			"campaign.admins",
			"actions: a campaign needs at least one action",
		}},
		{"the contact is one line of at most 200 characters", Create, `
organization: O
campaign: {name: C, join_code: generate, admins: [a@example.org], contact: "Orla\nOrtiz"}
actions:
  - {title: T, scripts: ["Hi"]}
`, []string{
			"campaign.contact (line 3): is one line: a name and how to reach them",
		}},
		{"a contact too long", Create, `
organization: O
campaign: {name: C, join_code: generate, admins: [a@example.org], contact: "` + strings.Repeat("c", MaxName+1) + `"}
actions:
  - {title: T, scripts: ["Hi"]}
`, []string{
			"campaign.contact (line 3): is 201 characters; at most 200",
		}},
		{"limits on free text", Create, `
organization: O
campaign: {name: C, join_code: generate, admins: [a@example.org]}
actions:
  - title: T
    description: "` + strings.Repeat("d", MaxDescription+1) + `"
    scripts: ["` + strings.Repeat("s", MaxScript+1) + `"]
`, []string{
			"actions[0].description (line 6): is 2001 characters; at most 2000",
			"actions[0].scripts[0] (line 7): is 1601 characters; at most 1600",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, tc.src)
			ps := Check(f, tc.mode, nil)
			got := ps.Error()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems lack %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestBatchSizeZeroIsRefused: an explicit 0 is a mistake to name, not the
// default (only an absent batch_size is 100).
func TestBatchSizeZeroIsRefused(t *testing.T) {
	f := mustParse(t, strings.Replace(good, "  - title: GOTV\n", "  - title: GOTV\n    batch_size: 0\n", 1))
	if got := Check(f, Create, nil).Error(); !strings.Contains(got, "actions[0].batch_size (line 9): 0 is not between 1 and 1000") {
		t.Fatalf("problems:\n%s", got)
	}
}

func TestLoadedColumnsAreKnown(t *testing.T) {
	f := mustParse(t, `
organization: O
campaign: {name: C, join_code: "123456", admins: [a@example.org]}
actions:
  - {id: x, title: T, scripts: ["Vote at {polling_place}"]}
`)
	if ps := Check(f, Update, nil); ps == nil {
		t.Fatal("unknown field accepted")
	}
	if ps := Check(f, Update, map[int][]string{0: {"polling_place"}}); ps != nil {
		t.Fatalf("a column the loaded contacts have is refused: %v", ps)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"empty", "  \n", "the file is empty"},
		{"syntax", "organization: [\n", "line"},
		{"unknown key", "organization: O\ncampaign: {name: C, joincode: x}\n", "line 2: field joincode not found in campaign"},
		{"wrong type", "organization: O\nactions:\n  - title: T\n    allow_free_text: maybe\n", `actions[0].allow_free_text (line 4): must be true or false, not the text "maybe"`},
		// yaml alone reads 1.5 into an int as 1, and says "into int" of
		// "lots" without naming the field.
		{"batch size a word", "organization: O\nactions:\n  - title: T\n    batch_size: lots\n",
			`actions[0].batch_size (line 4): "lots" is not a whole number of contacts (1-1000)`},
		{"batch size a fraction", "organization: O\nactions:\n  - title: T\n  - title: U\n    batch_size: 1.5\n",
			`actions[1].batch_size (line 5): "1.5" is not a whole number of contacts (1-1000)`},
		{"batch size quoted in JSON", `{"actions": [{"title": "T", "batch_size": "10"}]}`,
			`actions[0].batch_size (line 1): "10" is not a whole number of contacts (1-1000)`},
		{"batch size and another type error", "organization: O\nactions:\n  - title: T\n    batch_size: lots\n    allow_free_text: maybe\n",
			`actions[0].allow_free_text (line 5): must be true or false, not the text "maybe"`},
		{"not a mapping", "- a\n- b\n", "line 1: the file must be keys and values (organization:, campaign:, actions:), not a list"},
		// A contact list given as the campaign file is one long text: the
		// problem quotes its start, not the whole list.
		{"a CSV", "VANID,FirstName,LastName,CellPhone\n" + strings.Repeat("100001,Ida,Wells,+12025550101\n", 1000),
			`line 1: the file must be keys and values (organization:, campaign:, actions:), not the text "VANID,FirstName,LastName,CellPhone 100001,Ida,Wells,+1202555..." (30034 characters)`},
		// PostgreSQL cannot store U+0000: refused here, before the server
		// reads the database by the file's names.
		{"NUL escaped in a value", "organization: \"Or\\0g\"\n", "organization (line 1): contains a NUL character (U+0000)"},
		{"NUL in a list", "organization: O\nactions:\n  - title: T\n    scripts: [\"Hi\", \"Hi\\0 there\"]\n",
			"actions[0].scripts[1] (line 4): contains a NUL character"},
		{"NUL escaped in JSON", `{"campaign": {"admins": ["a@example.org", "b\u0000@example.org"]}}`,
			"campaign.admins[1] (line 1): contains a NUL character"},
		{"NUL in a key", "organization: O\nactions:\n  - title: T\n    \"ti\\0tle\": U\n",
			`actions[0] (line 4): key "ti\x00tle" contains a NUL character`},
		{"NUL raw", "organization: O\ncampaign:\n  name: C\x00\n", "line 3: contains a NUL character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if _, ok := err.(Problems); !ok {
				t.Fatalf("err is %T, want Problems", err)
			}
		})
	}
}

// TestNULProblemsWithOthers: a NUL is one problem among the file's
// others, each named once.
func TestNULProblemsWithOthers(t *testing.T) {
	_, err := Parse([]byte("organization: \"\\0\"\nactions:\n  - title: T\n    batch_size: lots\n    \"k\\0\": v\n"))
	ps, ok := err.(Problems)
	if !ok || len(ps) != 3 {
		t.Fatalf("err = %v, want 3 problems", err)
	}
	for i, want := range []string{"organization (line 1): contains a NUL", "actions[0].batch_size (line 4)", `actions[0] (line 5): key "k\x00"`} {
		if !strings.HasPrefix(ps[i].String(), want) {
			t.Errorf("problem %d = %q, want it to start %q", i, ps[i], want)
		}
	}
}

func FuzzParseCheck(f *testing.F) {
	data, _ := os.ReadFile("../../examples/campaign.yaml")
	f.Add(string(data))
	f.Add("organization: \"a\\0b\"\n")
	f.Add(good)
	f.Add("{}")
	f.Add("actions: [{scripts: ['{a|']}]")
	f.Add("actions: [{id: x, contact_fields: [a], shown_fields: [zip, a, a, \"b\\0\"]}]")
	f.Add("campaign: {public: maybe, admins: orla@example.org}\nactions:\n  - texting_hours: 9-5\n    scripts: {a: b}\n")
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse([]byte(src))
		if err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("Parse error %T is not Problems: %v", err, err)
			}
			return
		}
		if at, ok := nulchar.Path(file); ok {
			t.Fatalf("a file with a NUL at %s was parsed", at)
		}
		for _, mode := range []Mode{Create, Update} {
			for _, p := range Check(file, mode, nil) {
				if p.Msg == "" {
					t.Fatalf("problem without a message at %q", p.Path)
				}
			}
		}
	})
}
