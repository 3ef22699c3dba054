package texting

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMergeValues(t *testing.T) {
	c := Contact{FirstName: " Ada ", LastName: "Lovelace", Zip: "", Fields: map[string]string{
		"first_name": "column loses", "zip": "10001", "district": "", "polling_place": "PS 41"}}
	got := MergeValues(c, Volunteer{Name: "Dana Volunteer"})
	want := map[string]string{
		"first_name": "Ada", "last_name": "Lovelace", "full_name": "Ada Lovelace", "zip": "10001",
		"district": "", "polling_place": "PS 41", "volunteer_name": "Dana Volunteer", "volunteer_first_name": "Dana",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// A name saved before names were one line adds no line to a text.
	old := MergeValues(c, Volunteer{Name: " Vera.\n\nURGENT:  see\tthis\u202E "})
	if old["volunteer_name"] != "Vera. URGENT: see this" || old["volunteer_first_name"] != "Vera." {
		t.Errorf("a name with line breaks: %q / %q", old["volunteer_name"], old["volunteer_first_name"])
	}
	if z := MergeValues(Contact{Zip: "20001", Fields: map[string]string{"zip": "1"}}, Volunteer{})["zip"]; z != "20001" {
		t.Errorf("contact zip should win over the column: %q", z)
	}
}

func TestRenderInitial(t *testing.T) {
	scripts := []string{"A {first_name|friend} {district|your district}", "B {volunteer_first_name}", "C {district}"}
	c := Contact{FirstName: "Ada", Fields: map[string]string{"district": ""}}
	v := Volunteer{Name: "Dana V"}
	tests := []struct {
		index   int
		want    string
		wantErr string
	}{
		{0, "A Ada your district", ""},
		{1, "B Dana", ""},
		{4, "B Dana", ""},
		{-2, "B Dana", ""},
		{2, "", "no value and no fallback for merge field {district}"},
	}
	for _, tt := range tests {
		got, err := RenderInitial(scripts, tt.index, c, v)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("index %d: err %v, want %q", tt.index, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("index %d: %q, %v; want %q", tt.index, got, err, tt.want)
		}
	}
	if _, err := RenderInitial(nil, 0, c, v); !errors.Is(err, ErrNoScript) {
		t.Errorf("no scripts: %v", err)
	}
	if _, err := RenderInitial([]string{strings.Repeat("x", MaxLength+1)}, 0, c, v); err == nil {
		t.Error("an over-long script rendered")
	}
}

func TestCheckLength(t *testing.T) {
	if err := CheckLength(strings.Repeat("é", MaxLength)); err != nil {
		t.Errorf("MaxLength characters refused: %v", err)
	}
	if err := CheckLength(strings.Repeat("é", MaxLength+1)); err == nil {
		t.Error("MaxLength+1 accepted")
	}
	if err := CheckLength(" \n"); !errors.Is(err, ErrEmptyText) {
		t.Errorf("blank: %v", err)
	}
}

func TestHoursAndLock(t *testing.T) {
	// 16:00 UTC is 12:00 in New York.
	now := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	if err := CheckHours(now, "+12125550100", Hours{Start: "09:00", End: "21:00"}); err != nil {
		t.Errorf("noon in New York refused: %v", err)
	}
	var out *OutsideHoursError
	if err := CheckHours(now, "+12125550100", Hours{Start: "13:00", End: "21:00"}); !errors.As(err, &out) {
		t.Errorf("12:00 before a 13:00 start: %v", err)
	}
	if err := CheckHours(now, "+12125550100", Hours{Start: "9", End: "21:00"}); err == nil || errors.As(err, &out) {
		t.Errorf("bad hours must be an error, not outside: %v", err)
	}
	if got := InitialLockStart(now); !got.Equal(now.Add(-6 * time.Hour)) {
		t.Errorf("lock start %v", got)
	}
}

func TestDisplayName(t *testing.T) {
	for _, tt := range []struct{ name, phone, want string }{
		{"Ada Lovelace", "+15555550100", "Ada Lovelace"},
		{" Ada Lovelace ", "+15555550100", "Ada Lovelace"},
		{"  ", "+15555550100", "(555) 555-0100"},
		{"", "+15555550100", "(555) 555-0100"},
		{"", "+442079460958", "+44 20 7946 0958"},
		{"+15555550100", "+15555550100", "(555) 555-0100"}, // a list that put the number in the name
		{"", "12345", "12345"},
		{"", "", ""},
	} {
		if got := DisplayName(tt.name, tt.phone); got != tt.want {
			t.Errorf("DisplayName(%q, %q) = %q, want %q", tt.name, tt.phone, got, tt.want)
		}
	}
}

func TestHoursRefusal(t *testing.T) {
	ny := "+12125550100" // New York: one zone
	h := Hours{Start: "09:00", End: "21:00"}
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"early morning", time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC), "Ada can be texted from 9:00 AM their time, in 2 hours"},            // 07:00 EDT
		{"late evening", time.Date(2026, 3, 11, 2, 30, 0, 0, time.UTC), "Ada can be texted from 9:00 AM their time, in 10 hours 30 minutes"}, // 22:30 EDT
		{"a minute before", time.Date(2026, 3, 10, 12, 59, 30, 0, time.UTC), "Ada can be texted from 9:00 AM their time, in 1 minute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HoursRefusal("Ada", ny, tt.now, h); got != tt.want {
				t.Fatalf("HoursRefusal = %q, want %q", got, tt.want)
			}
		})
	}
	// A South Dakota number may be in Chicago's zone or Denver's: at 21:30
	// in Chicago (20:30 in Denver) both are inside only from Denver's 9:00.
	if got := HoursRefusal("Ada", "+16055550100", time.Date(2025, 1, 16, 3, 30, 0, 0, time.UTC), h); got != "Ada can be texted from 9:00 AM their time, in 12 hours 30 minutes" {
		t.Fatalf("two zones: %q", got)
	}
	if got := HoursRefusal("Ada", "+16055550100", time.Now(), Hours{Start: "09:00", End: "09:30"}); got != "Ada is outside texting hours (9 AM–9:30 AM their time)" {
		t.Fatalf("two zones whose windows never overlap: %q", got)
	}
	if got := HoursRefusal("", "+1", time.Now(), h); got != "This contact is outside texting hours (9 AM–9 PM their time)" {
		t.Fatalf("unknown zone: %q", got)
	}
}

// SameHoursAnswer promises CheckHours answers alike within one UTC minute,
// for zones offset by a quarter hour too; across the minute a window's
// edge may fall between.
func TestSameHoursAnswer(t *testing.T) {
	numbers := []string{"+12125550100", "+14155550100", "+9779812345678", "+61412345678"} // New York, San Francisco, Nepal (+5:45), Australia
	hours := []Hours{{Start: "09:00", End: "21:00"}, {Start: "12:31", End: "12:47"}}
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 24*60; m += 7 {
		minute := start.Add(time.Duration(m) * time.Minute)
		for _, n := range numbers {
			for _, h := range hours {
				first := CheckHours(minute, n, h) == nil
				for _, s := range []time.Duration{time.Nanosecond, 29 * time.Second, time.Minute - time.Nanosecond} {
					at := minute.Add(s)
					if !SameHoursAnswer(minute, at) {
						t.Fatalf("%s and %s are one UTC minute", minute, at)
					}
					if got := CheckHours(at, n, h) == nil; got != first {
						t.Fatalf("%s %v: allowed %v at %s, %v at %s", n, h, first, minute, got, at)
					}
				}
			}
		}
	}
	if SameHoursAnswer(start.Add(59*time.Second), start.Add(time.Minute)) {
		t.Fatal("times either side of a minute's turn answer alike")
	}
}

// TestInitialsRenderAsRenderInitial: scripts parsed once render exactly as
// RenderInitial does, errors included, whatever the script and index.
func TestInitialsRenderAsRenderInitial(t *testing.T) {
	v := Volunteer{Name: "Vera Volunteer"}
	full := Contact{FirstName: "Ada", LastName: "Lovelace", Fields: map[string]string{"place": "the library"}}
	bare := Contact{Fields: map[string]string{}}
	long := Contact{FirstName: strings.Repeat("a", MaxLength), Fields: map[string]string{}}
	sets := [][]string{
		nil,
		{"Hi {first_name|friend}, vote at {place|your polling place}. {volunteer_first_name}"},
		{"Hi {first_name}, vote at {place}.", "Hello {full_name}!", "broken {place"},
		{"   "},
	}
	for _, scripts := range sets {
		in := CompileInitials(scripts)
		for _, c := range []Contact{full, bare, long} {
			for _, index := range []int{0, 1, 2, 5, -1} {
				want, wantErr := RenderInitial(scripts, index, c, v)
				got, err := in.Render(index, c, v)
				if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Errorf("scripts %q, index %d, contact %q: Initials.Render = %q, %v; RenderInitial = %q, %v",
						scripts, index, c.FirstName, got, err, want, wantErr)
				}
			}
		}
	}
}

// TestContactFromName: a conversation's name split as a desktop that never
// saw the contact record fills scripts in.
func TestContactFromName(t *testing.T) {
	for name, want := range map[string]Contact{
		"Mary Ann Smith": {FirstName: "Mary", LastName: "Ann Smith"},
		" Ada ":          {FirstName: "Ada"},
		"":               {},
	} {
		if got := ContactFromName(name); got.FirstName != want.FirstName || got.LastName != want.LastName || got.Zip != "" || len(got.Fields) != 0 {
			t.Errorf("ContactFromName(%q) = %+v, want %+v", name, got, want)
		}
	}
}

// TestDetails: zip first, then the columns with a value by name, labelled
// in words; empty ones left out; a zip column and the zip not twice.
func TestDetails(t *testing.T) {
	got := Details(Contact{FirstName: "Ida", Zip: " 62701 ", Fields: map[string]string{
		"polling_place": "Lincoln Elementary", "precinct": "12", "ward": " ", "zip": "62701"}})
	want := []Detail{
		{Key: "zip", Label: "ZIP", Value: "62701"},
		{Key: "polling_place", Label: "Polling place", Value: "Lincoln Elementary"},
		{Key: "precinct", Label: "Precinct", Value: "12"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Details = %+v; want %+v", got, want)
	}
	if got := Details(Contact{FirstName: "Ada", Fields: map[string]string{"zip": "10001"}}); !reflect.DeepEqual(got, []Detail{{Key: "zip", Label: "ZIP", Value: "10001"}}) {
		t.Errorf("zip only as a column: %+v", got)
	}
	if got := Details(Contact{FirstName: "Ada"}); len(got) != 0 {
		t.Errorf("no columns: %+v", got)
	}
}
