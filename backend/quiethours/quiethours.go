// Package quiethours keeps initial texts inside an action's texting hours in
// the contact's local time. A number can map to several zones (a mobile in
// a state that spans two, a toll-free number); then every candidate zone
// must be inside the window, since we would rather wait than wake someone.
package quiethours

import (
	"errors"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/phone"
)

// Hours is a same-day window in the contact's local time: Start "09:00",
// End "21:00" ("24:00" is the end of the day). It is this package's own type
// so the rules do not depend on the wire format; api.TextingHours converts
// with Hours(h).
type Hours struct {
	Start, End string
}

// ErrInvalidHours is wrapped by every error about malformed texting hours.
var ErrInvalidHours = errors.New("invalid texting hours")

// OutsideError says the contact's local time is outside the texting hours.
type OutsideError struct {
	Zone  string    // the candidate zone that is outside, e.g. "America/Chicago"
	Local time.Time // the time now in Zone
	Hours Hours
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("outside texting hours %s-%s: it is %s in %s", e.Hours.Start, e.Hours.End, e.Local.Format("15:04"), e.Zone)
}

// Validate checks that h is a same-day window "HH:MM"-"HH:MM" with start
// before end; End may be "24:00" for the end of the day. Overnight windows
// (start after end) are deliberately not supported: texting at night is
// what quiet hours exist to prevent.
func Validate(h Hours) error {
	_, _, err := bounds(h)
	return err
}

// bounds returns the window as minutes of the day, [start, end).
func bounds(h Hours) (start, end int, err error) {
	start, err = clock(h.Start, false)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: start: %w", ErrInvalidHours, err)
	}
	end, err = clock(h.End, true)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: end: %w", ErrInvalidHours, err)
	}
	if start >= end {
		return 0, 0, fmt.Errorf("%w: %s-%s: start must be before end (overnight windows are not supported)", ErrInvalidHours, h.Start, h.End)
	}
	return start, end, nil
}

// clock parses "HH:MM" (exactly two digits each) into minutes of the day.
func clock(s string, allowEndOfDay bool) (int, error) {
	if s == "" {
		return 0, errors.New("empty; want HH:MM such as 09:00")
	}
	if allowEndOfDay && s == "24:00" {
		return 24 * 60, nil
	}
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("%q is not HH:MM (such as 09:00)", s)
	}
	hh := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[3]-'0')*10 + int(s[4]-'0')
	if hh > 23 || mm > 59 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return hh*60 + mm, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Check returns nil if an initial text to e164 may be sent at now, an
// *OutsideError if the contact's local time (in any of the number's candidate
// zones) is outside h, or a wrapped error for invalid hours or a number
// whose zone cannot be known. A whole-day window (00:00-24:00) allows any
// number without looking its zone up, since every local time is inside.
func Check(now time.Time, e164 string, h Hours) error {
	start, end, err := bounds(h)
	if err != nil {
		return err
	}
	if WholeDay(h) {
		return nil
	}
	locs, err := phone.Timezones(e164)
	if err != nil {
		return fmt.Errorf("cannot check texting hours: %w", err)
	}
	for _, loc := range locs {
		local := now.In(loc)
		m := local.Hour()*60 + local.Minute()
		if m < start || m >= end {
			return &OutsideError{Zone: loc.String(), Local: local, Hours: h}
		}
	}
	return nil
}

// WholeDay says whether h is the whole day (00:00-24:00), when every
// local time is inside and Check need not know the number's zone.
func WholeDay(h Hours) bool {
	start, end, err := bounds(h)
	return err == nil && start == 0 && end == 24*60
}

// ErrNeverOpen is NextOpen's answer for a number whose candidate zones'
// windows never overlap (a narrow window, zones hours apart): no time is
// inside h in all of them.
var ErrNeverOpen = errors.New("the texting hours are never open in every time zone of the number at once")

// NextOpen is the earliest time at or after now when a text to e164 is
// inside h in every candidate zone of the number (now itself when it is
// already). Each zone's window opens once a local day, so where the
// windows of all the zones overlap, the overlap begins where one of them
// opens: the answer is the earliest of the zones' openings over the next
// days at which every zone is inside. (The latest of each zone's next
// opening is not it: a zone open now may be closed again by then.)
func NextOpen(now time.Time, e164 string, h Hours) (time.Time, error) {
	start, end, err := bounds(h)
	if err != nil {
		return time.Time{}, err
	}
	locs, err := phone.Timezones(e164)
	if err != nil {
		return time.Time{}, fmt.Errorf("cannot check texting hours: %w", err)
	}
	inside := func(t time.Time) bool {
		for _, loc := range locs {
			local := t.In(loc)
			if m := local.Hour()*60 + local.Minute(); m < start || m >= end {
				return false
			}
		}
		return true
	}
	if inside(now) {
		return now, nil
	}
	var next time.Time
	for _, loc := range locs {
		local := now.In(loc)
		// Two days ahead cover every overlap: zones differ by under a day.
		for d := 0; d <= 2; d++ {
			opens := time.Date(local.Year(), local.Month(), local.Day()+d, start/60, start%60, 0, 0, loc)
			if !opens.After(now) || !inside(opens) {
				continue
			}
			if next.IsZero() || opens.Before(next) {
				next = opens
			}
			break
		}
	}
	if next.IsZero() {
		return time.Time{}, fmt.Errorf("%s, %s-%s: %w", e164, h.Start, h.End, ErrNeverOpen)
	}
	return next, nil
}
