package campaignfile

import (
	"strings"
	"testing"
)

// TestWrongTypesNameTheField: a value of the wrong kind (text where a list
// goes, a word where true or false goes) names the field it is under and
// what the field takes, in the file's words: yaml alone says "line 6:
// cannot unmarshal !!str into []string", which leaves the organizer to find
// the field and read Go.
func TestWrongTypesNameTheField(t *testing.T) {
	base := `organization: O
campaign:
  name: C
  join_code: generate
  public: false
  admins:
    - orla@example.org
actions:
  - title: T
    scripts:
      - "Hi {first_name|there}"
    allow_free_text: true
`
	tests := []struct{ name, old, new, want string }{
		{"a word for a bool", "public: false", "public: maybe",
			`campaign.public (line 5): must be true or false, not the text "maybe"`},
		{"a number for a bool", "public: false", "public: 1",
			`campaign.public (line 5): must be true or false, not the number 1`},
		{"quoted true", "allow_free_text: true", `allow_free_text: "true"`,
			`actions[0].allow_free_text (line 12): must be true or false, not the text "true"`},
		{"one admin, not a list", "  admins:\n    - orla@example.org", "  admins: orla@example.org",
			`campaign.admins (line 6): must be a list (one "- " line per item, or [a, b]), not the text "orla@example.org"`},
		{"one script, not a list", "    scripts:\n      - \"Hi {first_name|there}\"", "    scripts: \"Hi {first_name|there}\"",
			`actions[0].scripts (line 10): must be a list`},
		{"a list for a name", "name: C", "name: [C]",
			`campaign.name (line 3): must be text, not a list`},
		{"a mapping for a name", "name: C", "name: {a: b}",
			`campaign.name (line 3): must be text, not a mapping; a text with ": " in it goes in double quotes`},
		{"hours as text", "    allow_free_text: true", "    allow_free_text: true\n    texting_hours: \"9-5\"",
			`actions[0].texting_hours (line 13): must be start and end, like {start: "09:00", end: "21:00"}, not the text "9-5"`},
		{"choices as text", "    allow_free_text: true",
			"    allow_free_text: true\n    report_fields:\n      - key: k\n        label: K\n        kind: choice\n        choices: a, b",
			`actions[0].report_fields[0].choices (line 17): must be a list`},
		{"actions not a list", "actions:\n  - title: T\n    scripts:\n      - \"Hi {first_name|there}\"\n    allow_free_text: true\n", "actions: 5\n",
			`actions (line 8): must be a list of actions, not the number 5`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(base, tc.old, tc.new, 1)
			if src == base {
				t.Fatal("the test changed nothing")
			}
			_, err := Parse([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse = %v, want %q", err, tc.want)
			}
			for _, tech := range []string{"unmarshal", "[]string", "!!", "Hours"} {
				if strings.Contains(err.Error(), tech) {
					t.Fatalf("%v speaks Go (%q)", err, tech)
				}
			}
		})
	}
}

// TestNotUTF8NamesTheLine: a file saved in another encoding (Windows-1252's
// é is the byte 0xE9) is refused naming the line and how to save it; yaml
// alone says "invalid leading UTF-8 octet", with no line.
func TestNotUTF8NamesTheLine(t *testing.T) {
	src := "organization: O\ncampaign:\n  name: Caf\xe9\n"
	_, err := Parse([]byte(src))
	want := "line 3: the file is not UTF-8 text (byte 0xE9 is not a character in UTF-8); save it with the encoding UTF-8"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Parse = %v, want %q", err, want)
	}
}
