package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

var fields = []api.ReportField{
	{Key: "will_vote", Label: "Will vote", Kind: KindTag},
	{Key: "support", Label: "Support", Kind: KindChoice, Choices: []string{"Strong Supporter", "Lean Supporter", "Undecided", "Lean Against", "Strongly Against"}},
	{Key: "issue", Label: "Top issue", Kind: KindText},
	{Key: "household", Label: "Household size", Kind: KindNumber},
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]string
		wantKey string // "" means valid
		wantMsg string
	}{
		{"empty report", nil, "", ""},
		{"every kind valid", map[string]string{"will_vote": "true", "support": "Undecided", "issue": "rent", "household": "3.5", Notes: "nice", OptOut: "false"}, "", ""},
		{"empty value clears", map[string]string{"support": "", "household": ""}, "", ""},
		{"unknown field", map[string]string{"favourite_colour": "blue"}, "favourite_colour", `this action's report has no field "favourite_colour"`},
		{"tag wrong type", map[string]string{"will_vote": "yes"}, "will_vote", `Will vote must be Yes or No, not "yes"`},
		{"choice not in list", map[string]string{"support": "Maybe"}, "support", `"Maybe" is not one of the choices for Support`},
		{"choice wrong case", map[string]string{"support": "undecided"}, "support", `"undecided" is not one of the choices for Support`},
		{"number wrong type", map[string]string{"household": "three"}, "household", `Household size must be a number, not "three"`},
		{"negative and exponent numbers", map[string]string{"household": "-2"}, "", ""},
		{"exponent number", map[string]string{"household": "1e3"}, "", ""},
		{"NaN is not a number", map[string]string{"household": "NaN"}, "household", `Household size must be a number, not "NaN"`},
		{"Inf is not a number", map[string]string{"household": "-Inf"}, "household", `Household size must be a number, not "-Inf"`},
		// Results add the answers up: two of 1e308 would be +Inf, which JSON cannot carry.
		{"a number past the bound", map[string]string{"household": "1e308"}, "household", `Household size must be a number between -1,000,000,000,000 and 1,000,000,000,000, not "1e308"`},
		{"infinity is not a number", map[string]string{"household": "infinity"}, "household", `Household size must be a number, not "infinity"`},
		{"hex float is not a number", map[string]string{"household": "0x1p3"}, "household", `Household size must be a number, not "0x1p3"`},
		{"opt out wrong type", map[string]string{OptOut: "yes"}, OptOut, `Opt Out must be Yes or No, not "yes"`},
		// The words reach the volunteer: the field as their form names it, never its key.
		{"notes too long", map[string]string{Notes: strings.Repeat("a", MaxNotes+1)}, Notes, "Notes is 2001 characters; at most 2000"},
		{"text too long", map[string]string{"issue": strings.Repeat("é", MaxValue+1)}, "issue", "Top issue is 501 characters; at most 500"},
		// Shortening it would not get it filed: the field is gone, and the app names it by its last label (NoField).
		{"removed field too long", map[string]string{"favourite_colour": strings.Repeat("a", MaxValue+1)}, "favourite_colour", `this action's report has no field "favourite_colour"`},
		{"first bad key in order", map[string]string{"zzz": "1", "household": "x"}, "household", `Household size must be a number, not "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(fields, tt.values)
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("Check = %v, want a *report.Error", err)
			}
			if re.Key != tt.wantKey || re.Error() != tt.wantMsg {
				t.Fatalf("Check = {%s: %s}, want {%s: %s}", re.Key, re.Error(), tt.wantKey, tt.wantMsg)
			}
		})
	}
}

func TestScriptTags(t *testing.T) {
	got := ScriptTags(fields, api.ResponseScript{Tags: []string{"will_vote", "support", "gone"}})
	if len(got) != 1 || got["will_vote"] != "true" {
		t.Fatalf("ScriptTags = %v, want only will_vote=true (support is not a tag, gone is no field)", got)
	}
	if got := ScriptTags(fields, api.ResponseScript{}); got != nil {
		t.Fatalf("ScriptTags of a script without tags = %v, want nil", got)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("support", "Undecided")
	f.Add("will_vote", "yes")
	f.Add("household", "1e309")
	f.Add("notes", "\xff")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, key, value string) {
		err := Check(fields, map[string]string{key: value})
		if err == nil {
			known := key == Notes || key == OptOut
			for _, fd := range fields {
				known = known || fd.Key == key
			}
			if !known {
				t.Fatalf("unknown key %q accepted", key)
			}
			return
		}
		var re *Error
		if !errors.As(err, &re) || re.Key != key || re.Problem == "" {
			t.Fatalf("Check(%q=%q) = %v: not an *Error naming the key", key, value, err)
		}
	})
}

func TestLatest(t *testing.T) {
	got := Latest([]map[string]string{
		{"will_vote": "true", "notes": "needs a ride", "support": "Strong"},
		{"support": "Weak"},
		nil,
		{"notes": ""}, // cleared
	})
	want := map[string]string{"will_vote": "true", "notes": "", "support": "Weak"}
	if len(got) != len(want) {
		t.Fatalf("Latest = %v, want %v", got, want)
	}
	for k, v := range want {
		if x, ok := got[k]; !ok || x != v {
			t.Fatalf("Latest = %v, want %v", got, want)
		}
	}
	if n := len(Latest(nil)); n != 0 {
		t.Fatalf("Latest(nil) has %d keys", n)
	}
}

func TestArchives(t *testing.T) {
	for _, c := range []struct {
		values map[string]string
		want   bool
	}{
		{map[string]string{"opt_out": "false"}, false}, // the banner's Not an opt-out
		{map[string]string{"opt_out": "true"}, true},
		{map[string]string{"opt_out": "false", "will_vote": "true"}, true},
		{map[string]string{"notes": "called back"}, true},
		{map[string]string{}, true},
	} {
		if got := Archives(c.values); got != c.want {
			t.Errorf("Archives(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

// A key no field at hand labels reads as words.
func TestKeyWords(t *testing.T) {
	for key, want := range map[string]string{"will_vote": "Will vote", "favourite-colour": "Favourite colour", "zeta": "Zeta",
		"_odd__key_": "Odd key", "élan": "Élan", "___": "___"} {
		if got := KeyWords(key); got != want {
			t.Errorf("KeyWords(%q) = %q, want %q", key, got, want)
		}
	}
}
