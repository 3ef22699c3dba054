package app

import (
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
)

// said is the one way a bound call's error reaches the window, which shows
// its message to the volunteer (frontend lib/format.ts). What backend/client
// decides is words for the volunteer passes as it is; anything else (the
// local database, a file, a garbled answer) is logged here with the call's
// name, and the window reads client.ErrorWords, which say what to do.
// Every bound method with an error result returns through it
// (said_test.go checks them all).
func said(log zerolog.Logger, op string, err error) error {
	shown, fault := client.Explain(err)
	if fault {
		log.Error().Str("op", op).Err(err).Str("shown", shown.Error()).Msg("call failed")
	}
	return shown
}

// said: see the function.
func (c *Core) said(op string, err error) error { return said(c.Log, op, err) }
