package main

import (
	"errors"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// exitRefused is serve's exit status when it refuses to start over what a
// restart cannot change: its flags, its data directory (another user's,
// another server's, a PostgreSQL server's), a database a newer textbankd
// migrated, Twilio refusing the account SID and token, the simulated
// network on a real campaign. It is EX_CONFIG of sysexits.h. With exit
// status 1 for these, systemd's Restart= started the same refusal again
// and again until its start limit; the unit in docs/OPERATIONS.md names
// this status in RestartPreventExitStatus= instead. A failure a restart
// may fix (the database unreachable, the port taken, a crash) exits 1, or
// 2 for a Go panic, and is restarted.
const exitRefused = 78

// refusal marks an error of serve's start as one a restart cannot fix.
type refusal struct{ error }

func (r refusal) Unwrap() error { return r.error }

// refuse marks err as a refusal; nil stays nil.
func refuse(err error) error {
	if err == nil {
		return nil
	}
	return refusal{err}
}

// serveExit is serve's exit status for the error it stopped with.
func serveExit(err error) int {
	var r refusal
	switch {
	case err == nil:
		return 0
	case errors.As(err, &r), errors.Is(err, schema.ErrTooNew), errors.Is(err, twilio.ErrCredentialsRefused):
		return exitRefused
	}
	return 1
}
