package texting

import (
	"maps"
	"slices"
	"testing"
)

// TestSeenFields: the fields an app receives are zip, those the initial
// and response scripts use and those shown; a script that does not parse
// adds nothing.
func TestSeenFields(t *testing.T) {
	tests := []struct {
		name                      string
		scripts, responses, shown []string
		want                      []string
	}{
		{"standard fields only", []string{"Hi {first_name}"}, nil, nil, []string{"first_name", "zip"}},
		{"scripts and responses", []string{"Hi {first_name}, precinct {precinct|?}"}, []string{"Vote at {polling_place}"}, nil,
			[]string{"first_name", "polling_place", "precinct", "zip"}},
		{"shown", []string{"Hi"}, nil, []string{"party"}, []string{"party", "zip"}},
		{"a broken script", []string{"Hi {first_name"}, nil, nil, []string{"zip"}},
	}
	for _, tc := range tests {
		if got := slices.Sorted(maps.Keys(SeenFields(tc.scripts, tc.responses, tc.shown))); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
