package phone

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
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
		{"extension", "(217) 555-0121 ext 4", "US", "", `"(217) 555-0121 ext 4" has an extension (4): a text cannot reach an extension`},
		{"extension x", "+1 217 555 0121 x12", "US", "", "has an extension (12)"},
		{"extension uk", "020 7946 0958 ext. 7", "GB", "", "has an extension (7)"},
		{"x among the digits", "(202) 555-01x9", "US", "", `"(202) 555-01x9" is not a valid phone number: too short before the extension (9; an x or "ext" starts one)`},
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
	for _, s := range []string{"2025550180", "+12025550180", "1025550180", "+10255501801", "+1202555018x",
		"(212) 555-0100", "+1 (212) 555-0100", "212.555.0100", "((2-)125 .550100)", "+(1)2125550100", "+-1 212 555 0100",
		"+12125550100", "+18005550100", "+12005550100", "+19995550100", "+1212555010", "+121255501000", "+1212555O100"} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if NormalizesToItself(raw) && err == nil && got != raw {
			t.Fatalf("Normalize(%q, %q) = %q; NormalizesToItself promised the number itself or an error", raw, region, got)
		}
		wantNum, wantErr := normalizeByParse(raw, region)
		if got != wantNum || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("Normalize(%q, %q) = %q, %v; Parse reads %q, %v", raw, region, got, err, wantNum, wantErr)
		}
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

// normalizeByParse is Normalize without the parseNANP fast path: every
// number through phonenumbers.Parse.
func normalizeByParse(raw, defaultRegion string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", errors.New("phone number is empty")
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid phone number: %s", raw, parseReason(err, region))
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", invalidNumber(raw, n)
	}
	if err := noExtension(raw, n); err != nil {
		return "", err
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// TestParseNANPMatchesParse: over many numbers of the fast path's shapes
// (and near misses), Normalize gives what phonenumbers.Parse gives, number
// or error, and parseNANP builds the number Parse builds.
func TestParseNANPMatchesParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	// punctuate writes digits the ways exports do, and some odd ways.
	punctuate := func(d string) string {
		switch rng.IntN(8) {
		case 0:
			return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
		case 1:
			return d[:3] + "-" + d[3:6] + "-" + d[6:]
		case 2:
			return d[:3] + "." + d[3:6] + "." + d[6:]
		case 3:
			return d[:3] + " " + d[3:6] + " " + d[6:]
		case 4:
			return "((" + d[:1] + "-)" + d[1:5] + " ." + d[5:] + ")"
		case 5:
			return " -" + d + ". "
		}
		return d
	}
	fast := 0
	for i := range 40000 {
		var raw, region string
		switch i % 6 {
		case 0, 1:
			raw, region = digits(10), "US"
		case 2:
			raw, region = "+1"+digits(10), "US"
		case 3:
			raw, region = "+1"+digits(10), ""
		case 4:
			raw, region = digits(10), []string{"CA", "GB", "", "us"}[rng.IntN(4)]
		case 5:
			raw, region = []string{"+1", "", "1", "+"}[rng.IntN(4)]+digits(9+rng.IntN(3)), "US"
		}
		if i%12 >= 6 {
			if strings.HasPrefix(raw, "+1") && len(raw) == 12 {
				raw = []string{"+1 ", "+1-", "+1", "+(1) ", "+ 1 "}[rng.IntN(5)] + punctuate(raw[2:])
			} else if len(raw) == 10 {
				raw = punctuate(raw)
			}
		}
		got, err := Normalize(raw, region)
		want, wantErr := normalizeByParse(raw, region)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("Normalize(%q, %q) = %q, %v; Parse reads %q, %v", raw, region, got, err, want, wantErr)
		}
		n, ok := parseNANP(raw, strings.ToUpper(region))
		if !ok {
			continue
		}
		fast++
		p, err := phonenumbers.Parse(raw, strings.ToUpper(region))
		if err != nil || p.GetCountryCode() != n.GetCountryCode() || p.GetNationalNumber() != n.GetNationalNumber() ||
			p.GetItalianLeadingZero() != n.GetItalianLeadingZero() || p.GetNumberOfLeadingZeros() != n.GetNumberOfLeadingZeros() ||
			p.GetExtension() != n.GetExtension() {
			t.Fatalf("parseNANP(%q, %q) = %v; Parse = %v, %v", raw, region, n, p, err)
		}
	}
	if fast < 12000 {
		t.Fatalf("only %d numbers took the fast path; the test does not exercise it", fast)
	}
}

// The remembered zones answer as the parse does, the second time too, and
// the cache stays within its bound.
func TestTimezonesRemembered(t *testing.T) {
	for range 2 {
		for _, n := range []string{"+12125550100", "+19075550100", "+15555550100"} {
			got, gotErr := Timezones(n)
			want, wantErr := timezones(n)
			if fmt.Sprint(got) != fmt.Sprint(want) || (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("Timezones(%q) = %v, %v; parsed: %v, %v", n, got, gotErr, want, wantErr)
			}
		}
	}
	for i := range zones.max + 10 {
		if _, err := Timezones(fmt.Sprintf("+1212555%04d", i%10000)); err != nil {
			t.Fatal(err)
		}
		if _, err := Timezones(fmt.Sprintf("+1415555%04d", i%10000)); err != nil {
			t.Fatal(err)
		}
	}
	zones.checkBound(t)
}

// TestNormalizesToItself: the numbers it names are exactly the E.164 North
// American shape, and for each Normalize gives the number back or an error,
// whatever the default region (valid and invalid area codes alike).
func TestNormalizesToItself(t *testing.T) {
	for _, tt := range []struct {
		raw  string
		want bool
	}{
		{"+12025550180", true}, {"+19995550100", true}, {"+12005550100", true},
		{"+11025550180", false}, {"+10025550180", false}, {"12025550180", false},
		{"+1202555018", false}, {"+120255501800", false}, {"+1 2025550180", false},
		{"+1202555018x", false}, {"+442025550180", false}, {"", false},
	} {
		if got := NormalizesToItself(tt.raw); got != tt.want {
			t.Errorf("NormalizesToItself(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	valid := 0
	for range 5000 {
		raw := fmt.Sprintf("+1%d%09d", 2+rng.IntN(8), rng.IntN(1_000_000_000))
		if !NormalizesToItself(raw) {
			t.Fatalf("NormalizesToItself(%q) = false", raw)
		}
		for _, region := range []string{"US", "", "GB", "CA"} {
			got, err := Normalize(raw, region)
			if err == nil {
				valid++
				if got != raw {
					t.Fatalf("Normalize(%q, %q) = %q, want the number itself", raw, region, got)
				}
			}
		}
	}
	if valid == 0 {
		t.Fatal("no valid number among the samples: the test checks nothing")
	}
}
