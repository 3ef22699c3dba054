// Package words marks errors whose message is written for the volunteer.
//
// The mark is made where the words are written (backend/client, prefs,
// app), so the window's one boundary (client.Explain, used by every bound
// call in app/) tells words from a technical message by type, not by
// reading the text: "sqlite3: database is locked" must never reach a
// volunteer, and "that conversation is not in your inbox" must. It is a
// package of its own because the packages that write such words sit below
// backend/client, which decides what the window shows.
package words

import "fmt"

// Error is an error whose message was written for the volunteer: the
// window shows Words as they are. Err is what went wrong underneath, for
// the log and for errors.Is/As (nil when the words are all there is).
type Error struct {
	Words string
	Err   error
}

func (e *Error) Error() string { return e.Words }
func (e *Error) Unwrap() error { return e.Err }

// New is words for the volunteer with nothing underneath.
func New(words string) error { return &Error{Words: words} }

// Errorf is New with fmt.Sprintf's formatting. Its args are not errors: an
// error's message may be technical (client's userErrorf puts one in by
// what it says to the volunteer).
func Errorf(format string, args ...any) error { return &Error{Words: fmt.Sprintf(format, args...)} }

// Mark marks err, from a package whose messages are all written for the
// volunteer (a join code's check, a report's, a script's), as words; nil
// stays nil.
func Mark(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Words: err.Error(), Err: err}
}
