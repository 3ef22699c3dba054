// Package logsafe keeps contacts' phone numbers and people's email
// addresses out of log files. Errors carry them in their text (a store
// error naming "user vera@example.org", a text "to +12025550101"), and any
// of them may be logged whole, on a failure nobody planned for; so the
// logs of textbankd and of the app pass through Writer, which masks them
// in every line: an email keeps its first letter and domain, a number its
// last four digits (E.164 or as written in North America), enough to tell two apart while debugging and not
// enough to text or mail anyone.
package logsafe

import (
	"io"
	"regexp"
)

var (
	email = regexp.MustCompile(`([A-Za-z0-9])[A-Za-z0-9._%+\-]*@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})`)
	// An E.164 number (+ and 8 to 15 digits); a time zone's "+05:00" is
	// too short to match.
	e164 = regexp.MustCompile(`\+[1-9][0-9]{3,10}([0-9]{4})\b`)
	// A North American number as people write it, "(217) 555-0101" (the
	// form refusals name contacts by).
	display = regexp.MustCompile(`\([0-9]{3}\) [0-9]{3}-([0-9]{4})\b`)
)

// Bytes is b with emails and phone numbers masked (b itself when it holds
// none).
func Bytes(b []byte) []byte {
	b = email.ReplaceAll(b, []byte("$1…@$2"))
	b = display.ReplaceAll(b, []byte("(…) …-$1"))
	return e164.ReplaceAll(b, []byte("+…$1"))
}

type writer struct{ w io.Writer }

// Writer masks each write (zerolog writes one whole event at a time)
// before passing it to w.
func Writer(w io.Writer) io.Writer { return writer{w} }

func (lw writer) Write(p []byte) (int, error) {
	if _, err := lw.w.Write(Bytes(p)); err != nil {
		return 0, err
	}
	// All of p was taken, masked: zerolog checks the count.
	return len(p), nil
}
