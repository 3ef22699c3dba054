package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Display is a stored number as people read it, the one place the app and
// the server turn a number into words: a North American number as people
// there write it, "(602) 555-0107", which reads at a glance where
// "+16025550107" has to be counted; any other country's in international
// format with that country's spacing, "+44 20 7946 0958"; a string that is
// not a number in international form (a short code, a name, garbage) as
// given, trimmed. Stored data keeps E.164; this is for screens, messages
// and notifications only.
//
// It is asked once for every row of an inbox page, so it is cheap: a North
// American number is spaced by hand, without the numbering plan's metadata
// (which loads on first use and costs 75-150 ms, so a launch showing only
// such numbers never loads it); the rest go through phonenumbers and are
// remembered (displays).
func Display(s string) string {
	s = strings.TrimSpace(s)
	if NormalizesToItself(s) {
		return "(" + s[2:5] + ") " + s[5:8] + "-" + s[8:]
	}
	if !strings.HasPrefix(s, "+") {
		return s // a region would have to be guessed: shown as stored
	}
	if d, ok := displays.get(s); ok {
		return d
	}
	d := s
	if n, err := phonenumbers.Parse(s, ""); err == nil {
		format := phonenumbers.INTERNATIONAL
		// Ten digits after the 1, the first 2-9 (with an extension, say), are written as
		// at home; fewer or more have no national layout, and NATIONAL
		// would drop the +1 that says whose number it is.
		if nn := n.GetNationalNumber(); n.GetCountryCode() == 1 && nn >= 2e9 && nn < 1e10 {
			format = phonenumbers.NATIONAL
		}
		if f := phonenumbers.Format(n, format); f != "" {
			d = f
		}
	}
	displays.put(s, d)
	return d
}

// displays remembers the display of numbers outside North America, up to
// several inbox pages' worth, so scrolling back and forth and the thread
// list's refreshes do not parse the same rows again.
var displays = recent[string]{max: 4096}
