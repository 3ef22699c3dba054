package contactcsv

import (
	"fmt"
	"strings"
	"time"
)

// optedOutAtNames are the headers (squashed) of the column an opt-out list
// gives each number's opt-out time in, earliest spelling first. A bare
// "opted out" is not among them: such a column holds yes/no as often as a
// time.
var optedOutAtNames = []string{"optedoutat", "optoutdate", "optedoutdate", "optoutat", "optedouton",
	"optouttime", "dateoptedout", "date", "createdat", "timestamp"}

// Layouts an opt-out time is read in: those with an offset first; the rest
// are read as UTC. Dates with slashes are month first, as the US tools
// that export them write them.
var (
	zonedLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z07",
		"2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z0700", "2006-01-02 15:04:05.999999999 -0700", "2006-01-02 15:04:05.999999999 -07:00",
		"2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00", "2006-01-02 15:04 -0700", "2006-01-02 15:04 -07:00"}
	utcLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04",
		"2006-01-02", "2006/01/02", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006",
		"1/2/06 15:04", "1/2/06 3:04 PM", "1/2/06"}
)

// dateForms is what a refusal says a time may look like.
const dateForms = "2024-03-01, 2024-03-01 14:05, 2024-03-01T14:05:00Z or 3/1/2024 (month first)"

// futureSlack is how far past now an opt-out time may be and still be
// taken (as now): a time written without its zone is read as UTC, hours
// off the organizer's clock.
const futureSlack = 24 * time.Hour

// ParseOptedOutAt reads an opt-out list's time cell; now bounds it (a time
// in the future is a mistake, such as a day and month swapped), unless
// zero. A time less than futureSlack ahead is taken as now.
func ParseOptedOutAt(s string, now time.Time) (time.Time, error) {
	v := strings.TrimSpace(s)
	var t time.Time
	var err error
	for _, l := range zonedLayouts {
		if t, err = time.Parse(l, v); err == nil {
			break
		}
	}
	if err != nil {
		for _, l := range utcLayouts {
			if t, err = time.ParseInLocation(l, strings.ToUpper(v), time.UTC); err == nil {
				break
			}
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date and time Textbank reads: write it as %s", s, dateForms)
	}
	t = t.UTC()
	switch {
	case t.Year() < 1990:
		return time.Time{}, fmt.Errorf("%q is before 1990: texting opt-outs are not that old; check the column holds the opt-out's date", s)
	case !now.IsZero() && t.After(now.Add(futureSlack)):
		return time.Time{}, fmt.Errorf("%q is in the future (a day and month swapped?): write it as %s", s, dateForms)
	case !now.IsZero() && t.After(now):
		return now.UTC(), nil
	}
	return t, nil
}
