package campaignfile

import (
	"errors"
	"testing"
)

// TestSearchJoinsPerHourIsAWholeNumberInRange: the campaign's limit on
// joins through search is 0 (none) up to MaxSearchJoinsPerHour; left out,
// it stays unset (the default, or what an update's campaign has); any other
// value is named with its place and what it takes.
func TestSearchJoinsPerHourIsAWholeNumberInRange(t *testing.T) {
	file := func(line string) string {
		return `
organization: O
campaign:
  name: C
  join_code: "123456"
  admins: [a@example.org]
` + line + `actions:
  - title: T
    scripts: ["Hi {first_name}"]
`
	}
	const wanted = "; give a whole number of volunteers an hour (0-1000; 0 lets none join through search)"
	const ranged = "is not between 0 and 1000 volunteers an hour (0 lets none join through search: they join with the code)"
	tests := []struct {
		name, line string
		want       int    // the limit read; -1 for left out
		problem    string // the one problem; none when empty
	}{
		{"left out", "", -1, ""},
		{"none through search", "  search_joins_per_hour: 0\n", 0, ""},
		{"a few", "  search_joins_per_hour: 5\n", 5, ""},
		{"the most", "  search_joins_per_hour: 1000\n", 1000, ""},
		{"negative", "  search_joins_per_hour: -1\n", 0, "campaign.search_joins_per_hour (line 7): -1 " + ranged},
		{"too many", "  search_joins_per_hour: 1001\n", 0, "campaign.search_joins_per_hour (line 7): 1001 " + ranged},
		{"a fraction", "  search_joins_per_hour: 2.5\n", 0, "campaign.search_joins_per_hour (line 7): is the number 2.5" + wanted},
		{"words", "  search_joins_per_hour: many\n", 0, `campaign.search_joins_per_hour (line 7): is the text "many"` + wanted},
		{"empty", "  search_joins_per_hour:\n", 0, "campaign.search_joins_per_hour (line 7): is empty" + wanted},
		{"a list", "  search_joins_per_hour: [5]\n", 0, "campaign.search_joins_per_hour (line 7): is a list" + wanted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(file(tc.line)))
			if err == nil {
				if ps := Check(f, Create, nil); ps != nil {
					err = ps
				}
			}
			if tc.problem != "" {
				var ps Problems
				if !errors.As(err, &ps) || len(ps) != 1 || ps[0].String() != tc.problem {
					t.Fatalf("got %v, want %q", err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			got := -1
			if f.Campaign.SearchJoinsPerHour != nil {
				got = *f.Campaign.SearchJoinsPerHour
			}
			if got != tc.want {
				t.Fatalf("read %d, want %d", got, tc.want)
			}
		})
	}
	if SearchJoins(nil) != DefaultSearchJoinsPerHour {
		t.Fatalf("an unset limit is %d, want the default %d", SearchJoins(nil), DefaultSearchJoinsPerHour)
	}
}
