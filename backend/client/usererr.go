package client

import (
	"errors"
	"fmt"
	"slices"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/words"
)

// UserError is an error whose message was written for the volunteer
// (package words says why it is a type).
type UserError = words.Error

// ErrorWords is what a volunteer reads when something failed that is not
// theirs to understand (the local database, a file, a garbled answer). It
// says what they can do; the detail goes to the log. It begins with the
// app's name, so it reads both after a screen's own words ("The report was
// not saved: ...") and on its own.
const ErrorWords = "Textbank could not read or save its data on this computer. " +
	"Try again; if it keeps happening, restart Textbank"

// GarbledWords is what a volunteer reads when the campaign server's answer
// could not be read (api.ErrGarbled): most often a Wi-Fi network's sign-in
// page answering in the server's place, which the volunteer can fix.
const GarbledWords = "The campaign server's answer could not be read. If this network has a sign-in page, " +
	"open it in a browser first; otherwise try again, and if it keeps happening, tell your organizer"

// userError is words for the volunteer with nothing underneath.
func userError(w string) error { return words.New(w) }

// userErrorf formats words for the volunteer. An error among args is put in
// by what it says to the volunteer (Explain), never by its technical
// message, and the first one stays underneath (%w) for errors.Is and the
// log.
func userErrorf(format string, args ...any) error {
	var cause error
	args = slices.Clone(args) // the caller's slice stays as it was
	for i, a := range args {
		if err, ok := a.(error); ok {
			if cause == nil {
				cause = err
			}
			shown, _ := Explain(err)
			args[i] = shown
		}
	}
	return &UserError{Words: fmt.Errorf(format, args...).Error(), Err: cause}
}

// said marks err, from a package whose messages are written for the
// volunteer (a join code's check, a report's, a script's), as words.
func said(err error) error { return words.Mark(err) }

// Explain is what err says to the volunteer, and whether err holds detail
// that only the log should have (fault: the caller logs err itself).
//
//   - A UserError says its words (the outermost one, so a technical prefix
//     put around it is dropped; then, or when what is underneath is a
//     fault, fault is true).
//   - The refused server address says its sentence.
//   - An unreachable server says "cannot reach the campaign server at URL:
//     cause", which the window turns into plain words (format.ts); offline
//     is normal, not a fault.
//   - The server's answer says the server's message (api.APIError).
//   - An answer that could not be read says GarbledWords, and is a fault
//     (the log has what was asked and what was found).
//   - Anything else says ErrorWords, and is a fault.
func Explain(err error) (shown error, fault bool) {
	if err == nil {
		return nil, false
	}
	var u *UserError
	if errors.As(err, &u) {
		fault = error(u) != err
		if u.Err != nil && u.Err.Error() != u.Words && !fault {
			// Words put around a cause (userErrorf) said it by its words:
			// its detail is for the log. A cause whose message is the
			// words themselves (said) hides nothing.
			_, fault = Explain(u.Err)
		}
		return u, fault
	}
	var r *api.RefusedError
	if errors.As(err, &r) {
		return r, false
	}
	if errors.Is(err, api.ErrUnreachable) {
		// The innermost error that is still "unreachable" is the API
		// client's own, which names the server; what was put around it
		// ("pull after version 812: ") is the engine's, for the log.
		for {
			next := errors.Unwrap(err)
			if next == nil || !errors.Is(next, api.ErrUnreachable) {
				return err, false
			}
			err = next
		}
	}
	var a *api.APIError
	if errors.As(err, &a) {
		// The server's own answer: a refusal, not a fault of this
		// computer's (what was put around it is dropped, not logged).
		return a, false
	}
	if errors.Is(err, api.ErrGarbled) {
		return words.New(GarbledWords), true
	}
	// Nothing underneath: the caller logs err, and the words explained
	// again (a sentence of userErrorf's) are no fault of their own.
	return words.New(ErrorWords), true
}
