package campaignfile

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestShownFieldsNameTheActionsColumns: shown_fields lists extra columns
// of the action's contacts (declared in contact_fields, or loaded), each
// once; a standard field, an undeclared column, a repeat and too many are
// named with their place. Left out and [] both mean none.
func TestShownFieldsNameTheActionsColumns(t *testing.T) {
	file := func(shown string) string {
		return `
organization: O
campaign: {name: C, join_code: "123456", admins: [a@example.org]}
actions:
  - id: x
    title: T
    contact_fields: [precinct, party]
    scripts: ["Hi {first_name}"]
` + shown
	}
	many := make([]string, MaxListItems+1)
	for i := range many {
		many[i] = fmt.Sprintf("c%d", i)
	}
	tests := []struct {
		name, shown string
		loaded      []string
		want        []string // problems; none when empty
	}{
		{"declared columns", "    shown_fields: [party, precinct]\n", nil, nil},
		{"a column loaded before", "    shown_fields: [ward]\n", []string{"ward"}, nil},
		{"left out", "", nil, nil},
		{"none", "    shown_fields: []\n", nil, nil},
		{"a standard field", "    shown_fields: [zip, party]\n", nil,
			[]string{"actions[0].shown_fields[0] (line 9): {zip} is a standard field, always shown; list only extra CSV columns"}},
		{"not a column", "    shown_fields: [party, dob]\n", nil,
			[]string{`actions[0].shown_fields[1] (line 9): "dob" is not a column of this action's contacts; list it in contact_fields too`}},
		{"twice", "    shown_fields: [party, party]\n", nil,
			[]string{`actions[0].shown_fields[1] (line 9): "party" is listed twice`}},
		{"too many", "    shown_fields: [" + strings.Join(many, ", ") + "]\n", many,
			[]string{"actions[0].shown_fields (line 9): 51 fields; at most 50"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, file(tc.shown))
			ps := Check(f, Update, map[int][]string{0: tc.loaded})
			if len(tc.want) == 0 {
				if ps != nil {
					t.Fatalf("refused: %v", ps)
				}
				return
			}
			if ps == nil {
				t.Fatalf("accepted, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(ps.Error(), w) {
					t.Errorf("problems lack %q:\n%s", w, ps.Error())
				}
			}
		})
	}
	f := mustParse(t, file("    shown_fields: [party]\n"))
	if got := f.Actions[0].Shown(); !slices.Equal(got, []string{"party"}) {
		t.Errorf("Shown() = %v, want [party]", got)
	}
	if got := mustParse(t, file("")).Actions[0].Shown(); got != nil {
		t.Errorf("left out, Shown() = %v, want none", got)
	}
}
