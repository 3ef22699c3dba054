package quiethours

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		h       Hours
		wantErr string
	}{
		{"usual", Hours{Start: "09:00", End: "21:00"}, ""},
		{"whole day", Hours{Start: "00:00", End: "24:00"}, ""},
		{"minutes", Hours{Start: "08:30", End: "20:45"}, ""},
		{"one minute", Hours{Start: "12:00", End: "12:01"}, ""},
		{"empty start", Hours{End: "21:00"}, "start: empty"},
		{"empty end", Hours{Start: "09:00"}, "end: empty"},
		{"single digit hour", Hours{Start: "9:00", End: "21:00"}, `start: "9:00" is not HH:MM`},
		{"seconds", Hours{Start: "09:00:00", End: "21:00"}, "is not HH:MM"},
		{"letters", Hours{Start: "ab:cd", End: "21:00"}, "is not HH:MM"},
		{"hour 25", Hours{Start: "09:00", End: "25:00"}, `"25:00" is not a time of day`},
		{"minute 60", Hours{Start: "09:60", End: "21:00"}, "is not a time of day"},
		{"start 24:00", Hours{Start: "24:00", End: "24:00"}, "start:"},
		{"24:30", Hours{Start: "09:00", End: "24:30"}, "not a time of day"},
		{"equal", Hours{Start: "09:00", End: "09:00"}, "start must be before end"},
		{"overnight", Hours{Start: "21:00", End: "09:00"}, "overnight windows are not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.h)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v", tt.h, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrInvalidHours) {
				t.Fatalf("Validate(%+v) = %v, want ErrInvalidHours containing %q", tt.h, err, tt.wantErr)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	const (
		ny       = "+12125550100" // America/New_York
		chicago  = "+13125550101" // America/Chicago
		la       = "+14155550100" // America/Los_Angeles
		alaska   = "+19075550100" // America/Adak (UTC-10 in winter) and America/Anchorage (UTC-9)
		tollFree = "+18005550100" // every NANP zone, Guam to Newfoundland
	)
	day := Hours{Start: "09:00", End: "21:00"}
	// 2025-01-15 is winter: New York UTC-5, Chicago UTC-6, LA UTC-8.
	at := func(hhmm string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04", "2025-01-15 "+hhmm)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC()
	}
	tests := []struct {
		name    string
		now     time.Time
		number  string
		hours   Hours
		zone    string // zone in the *OutsideError; "" means allowed
		local   string // its local time
		wantErr string // a non-OutsideError error
	}{
		{"noon in NY", at("17:00"), ny, day, "", "", ""},
		{"NY at start is inside", at("14:00"), ny, day, "", "", ""},
		{"NY a minute before start", at("13:59"), ny, day, "America/New_York", "08:59", ""},
		{"NY at end is outside", at("02:00"), ny, day, "America/New_York", "21:00", ""},
		{"NY a minute before end", at("01:59"), ny, day, "", "", ""},
		{"same instant fine in NY, early in LA", at("15:00"), la, day, "America/Los_Angeles", "07:00", ""},
		{"same instant late in NY, fine in LA", at("03:30"), ny, day, "America/New_York", "22:30", ""},
		{"LA evening", at("03:30"), la, day, "", "", ""},
		{"Chicago late", at("04:15"), chicago, day, "America/Chicago", "22:15", ""},
		{"alaska: Anchorage inside but Adak not yet", at("18:30"), alaska, day, "America/Adak", "08:30", ""},
		{"alaska: both inside", at("19:00"), alaska, day, "", "", ""},
		{"toll free is outside somewhere at NY noon", at("17:00"), tollFree, day, "America/Adak", "07:00", ""},
		{"end of day window", at("04:30"), ny, Hours{Start: "10:00", End: "24:00"}, "", "", ""},
		{"end of day window after midnight", at("05:30"), ny, Hours{Start: "10:00", End: "24:00"}, "America/New_York", "00:30", ""},
		{"whole day allows any number", at("08:00"), "+80012345678", Hours{Start: "00:00", End: "24:00"}, "", "", ""},
		{"summer time: 09:30 EDT, which EST would call 08:30", time.Date(2025, 7, 1, 13, 30, 0, 0, time.UTC), ny, day, "", "", ""},
		{"invalid hours", at("17:00"), ny, Hours{Start: "21:00", End: "09:00"}, "", "", "overnight windows are not supported"},
		{"invalid number", at("17:00"), "+15555550100", day, "", "", "cannot check texting hours"},
		{"not e164", at("17:00"), "2125550100", day, "", "", "not in E.164 form"},
		{"unknown zone", at("17:00"), "+80012345678", day, "", "", "time zone of +80012345678 is unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.now, tt.number, tt.hours)
			var out *OutsideError
			switch {
			case tt.wantErr != "":
				if err == nil || errors.As(err, &out) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Check = %v, want error containing %q", err, tt.wantErr)
				}
			case tt.zone == "":
				if err != nil {
					t.Fatalf("Check = %v, want allowed", err)
				}
			default:
				if !errors.As(err, &out) {
					t.Fatalf("Check = %v, want *OutsideError", err)
				}
				if out.Zone != tt.zone || out.Local.Format("15:04") != tt.local {
					t.Fatalf("Check = %+v, want %s at %s", out, tt.zone, tt.local)
				}
				want := "outside texting hours " + tt.hours.Start + "-" + tt.hours.End + ": it is " + tt.local + " in " + tt.zone
				if err.Error() != want {
					t.Fatalf("message %q, want %q", err.Error(), want)
				}
			}
		})
	}
}

// TestWholeDay: only 00:00-24:00 is the whole day.
func TestWholeDay(t *testing.T) {
	for h, want := range map[Hours]bool{
		{Start: "00:00", End: "24:00"}: true,
		{Start: "00:00", End: "23:59"}: false,
		{Start: "09:00", End: "21:00"}: false,
		{Start: "24:00", End: "00:00"}: false,
	} {
		if got := WholeDay(h); got != want {
			t.Errorf("WholeDay(%v) = %v, want %v", h, got, want)
		}
	}
}

// TestNextOpen: the earliest time inside the window in every candidate
// zone of the number. For a number in two zones, a zone open now may be
// closed again when the other opens: the answer is where the windows
// overlap, checked with Check at the time given and a minute before.
func TestNextOpen(t *testing.T) {
	const (
		ny       = "+12125550100" // America/New_York
		dakota   = "+16055550100" // America/Chicago and America/Denver
		alaska   = "+19075550100" // America/Adak and America/Anchorage
		tollFree = "+18005550100" // every NANP zone
	)
	day := Hours{Start: "09:00", End: "21:00"}
	utc := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name   string
		now    time.Time
		number string
		hours  Hours
		want   time.Time // zero: ErrNeverOpen
	}{
		{"inside now", utc("2025-01-15 17:00"), ny, day, utc("2025-01-15 17:00")},
		{"NY early: 9:00 EST today", utc("2025-01-15 12:00"), ny, day, utc("2025-01-15 14:00")},
		{"NY late: 9:00 EST tomorrow", utc("2025-01-16 03:30"), ny, day, utc("2025-01-16 14:00")},
		// 21:30 in Chicago, 20:30 in Denver: Chicago opens at 15:00 UTC, when
		// it is 8:00 in Denver; both are inside from Denver's 9:00.
		{"two zones: one closed, one open now", utc("2025-01-16 03:30"), dakota, day, utc("2025-01-16 16:00")},
		{"two zones: both closed, early", utc("2025-01-15 13:00"), dakota, day, utc("2025-01-15 16:00")},
		{"alaska: Adak opens last", utc("2025-01-15 17:30"), alaska, day, utc("2025-01-15 19:00")},
		// Guam (UTC+10) opens last: 9:00 there is 13:00 in Adak, 19:30 in St. John's.
		{"toll free: the overlap of every zone", utc("2025-01-15 12:00"), tollFree, Hours{Start: "09:00", End: "24:00"}, utc("2025-01-15 23:00")},
		{"narrow window, zones an hour apart, never both", utc("2025-01-15 12:00"), dakota, Hours{Start: "09:00", End: "09:30"}, time.Time{}},
		{"summer time", utc("2025-07-01 12:00"), ny, day, utc("2025-07-01 13:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NextOpen(tt.now, tt.number, tt.hours)
			if tt.want.IsZero() {
				if !errors.Is(err, ErrNeverOpen) {
					t.Fatalf("NextOpen = %v, %v; want ErrNeverOpen", got, err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("NextOpen = %v, %v; want %v", got.UTC(), err, tt.want)
			}
			if err := Check(got, tt.number, tt.hours); err != nil {
				t.Fatalf("Check at NextOpen's %v: %v", got.UTC(), err)
			}
			if before := got.Add(-time.Minute); got.After(tt.now) && Check(before, tt.number, tt.hours) == nil {
				t.Fatalf("Check a minute before NextOpen's %v allows it: not the earliest", got.UTC())
			}
		})
	}
}
