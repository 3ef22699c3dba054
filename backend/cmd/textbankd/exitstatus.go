package main

import (
	"errors"
	"syscall"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// exitRefused is serve's exit status when it refuses to start over what a
// restart cannot change: its flags, its data directory (another user's,
// another server's, a PostgreSQL server's), a database a newer textbankd
// migrated, PostgreSQL refusing the role, its password or privileges, a
// database missing (postgres.Refused), Twilio
// refusing the account SID and token, the simulated
// network on a real campaign. It is EX_CONFIG of sysexits.h. With exit
// status 1 for these, systemd's Restart= started the same refusal again
// and again until its start limit; the unit in docs/OPERATIONS.md names
// this status in RestartPreventExitStatus= instead. A failure a restart
// may fix (the database unreachable, the port taken, a disk failing to
// read --data or --twilio-auth-token-file, a crash) exits 1, or 2 for a
// Go panic, and is restarted.
const exitRefused = 78

// refusal marks an error of serve's start as one a restart cannot fix.
type refusal struct{ error }

func (r refusal) Unwrap() error { return r.error }

// refuse marks err as a refusal; nil stays nil, and so does the system
// failing rather than saying no (filesystemFaults), which a restart may
// find passed: a check of --data that could not read or write it for
// those reasons has not found the directory wrong.
func refuse(err error) error {
	if err == nil {
		return nil
	}
	for _, fault := range filesystemFaults {
		if errors.Is(err, fault) {
			return err
		}
	}
	return refusal{err}
}

// filesystemFaults are the errors of a file operation that may pass by
// the next start: a disk full or failing, out of file handles, a network
// file system's lock service not up yet.
var filesystemFaults = []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EIO, syscall.EMFILE, syscall.ENFILE,
	syscall.ENOLCK, syscall.EINTR, syscall.ETIMEDOUT, syscall.ESTALE}

// serveExit is serve's exit status for the error it stopped with.
func serveExit(err error) int {
	var r refusal
	switch {
	case err == nil:
		return 0
	case errors.As(err, &r), errors.Is(err, schema.ErrTooNew), errors.Is(err, twilio.ErrCredentialsRefused), postgres.Refused(err):
		return exitRefused
	}
	return 1
}
