package phone

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, raw, region string
		want              string
		wantErr           string
	}{
		{"national with dashes", "202-555-0180", "US", "+12025550180", ""},
		{"national with parens", "(212) 555-0100", "US", "+12125550100", ""},
		{"leading one", "1 312 555 0101", "US", "+13125550101", ""},
		{"already e164", "+12025550180", "US", "+12025550180", ""},
		{"e164 without region", "+1 202 555 0180", "", "+12025550180", ""},
		{"lower-case region", "2025550180", "us", "+12025550180", ""},
		{"surrounding space", "  2025550180\n", "US", "+12025550180", ""},
		{"uk mobile national", "07911 123456", "GB", "+447911123456", ""},
		{"uk mobile from US default", "+44 7911 123456", "US", "+447911123456", ""},
		{"international prefix", "011 44 7911 123456", "US", "+447911123456", ""},
		{"empty", "", "US", "", "phone number is empty"},
		{"blank", "   ", "US", "", "phone number is empty"},
		{"too short", "555-12", "US", "", `"555-12" is not a valid phone number`},
		{"letters", "hello", "US", "", `"hello" is not a valid phone number: it is not a number`},
		{"no region no plus", "2025550180", "", "", "no country code (start it with +) and no default region"},
		{"bad region", "2025550180", "ZZ", "", `unknown country code or region "ZZ"`},
		{"unknown country code", "+999 1234567", "US", "", "is not a valid phone number"},
		{"unassigned area code", "555-555-0100", "US", "", `"555-555-0100" is not a valid phone number`},
		{"too long", "+1 202 555 0180 1234567", "US", "", "not a valid phone number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.raw, tt.region)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Normalize(%q, %q) = %q, %v; want error containing %q", tt.raw, tt.region, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Normalize(%q, %q) = %q, %v; want %q", tt.raw, tt.region, got, err, tt.want)
			}
		})
	}
}

func TestTimezones(t *testing.T) {
	tests := []struct {
		name, e164 string
		want       []string // exact zone names; nil with wantErr
		contains   []string // for numbers with many zones
		wantErr    string
	}{
		{"new york", "+12125550100", []string{"America/New_York"}, nil, ""},
		{"chicago", "+13125550101", []string{"America/Chicago"}, nil, ""},
		{"los angeles", "+14155550100", []string{"America/Los_Angeles"}, nil, ""},
		{"phoenix", "+16025550100", []string{"America/Phoenix"}, nil, ""},
		{"honolulu", "+18085550100", []string{"Pacific/Honolulu"}, nil, ""},
		{"alaska has two", "+19075550100", []string{"America/Adak", "America/Anchorage"}, nil, ""},
		{"toll free has many", "+18005550100", nil, []string{"America/New_York", "America/Los_Angeles", "Pacific/Honolulu"}, ""},
		{"london", "+447911123456", nil, []string{"Europe/London"}, ""},
		{"unknown zone", "+80012345678", nil, nil, "time zone of +80012345678 is unknown"},
		{"not e164", "2125550100", nil, nil, "not in E.164 form"},
		{"empty", "", nil, nil, "not in E.164 form"},
		{"invalid number", "+15555550100", nil, nil, "is not a valid phone number"},
		{"garbage", "+abc", nil, nil, "is not a valid phone number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locs, err := Timezones(tt.e164)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Timezones(%q) = %v, %v; want error containing %q", tt.e164, locs, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Timezones(%q): %v", tt.e164, err)
			}
			var names []string
			for _, l := range locs {
				names = append(names, l.String())
			}
			if tt.want != nil && !reflect.DeepEqual(names, tt.want) {
				t.Fatalf("Timezones(%q) = %v, want %v", tt.e164, names, tt.want)
			}
			for _, c := range tt.contains {
				found := false
				for _, n := range names {
					found = found || n == c
				}
				if !found {
					t.Fatalf("Timezones(%q) = %v, missing %s", tt.e164, names, c)
				}
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"202-555-0180", "+447911123456", "", "555-12", "+", "++1", "0", "\xff", "1-800-FLOWERS", "+1 (202) 555-0180 ext. 12"} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "+") || len(got) < 3 || len(got) > 16 {
			t.Fatalf("Normalize(%q, %q) = %q: not E.164", raw, region, got)
		}
		for _, c := range got[1:] {
			if c < '0' || c > '9' {
				t.Fatalf("Normalize(%q, %q) = %q: not E.164", raw, region, got)
			}
		}
		// E.164 is a fixed point, whatever the default region.
		if again, err := Normalize(got, ""); err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}
