package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// accessDataDir is dirAccess, replaced in tests: they run as root, whom
// no mode bit stops.
var accessDataDir = dirAccess

// checkDataDirAccess refuses an existing data directory this user may not
// enter or read (serve makes it 0700, for its own user alone). Without it
// a command run as another user fails on the first file inside, with
// "create .../textbank.db: permission denied" (as if there were no
// database) or "open .../textbankd.lock", neither naming the directory or
// whose it is. A missing directory, or any other error, is left to the
// callers, which say what they do about it.
func checkDataDirAccess(dir string) error {
	err := accessDataDir(dir)
	if err == nil || !errors.Is(err, fs.ErrPermission) {
		return nil
	}
	return dataDirDenied(dir, "entered or read", err)
}

// dataDirDenied is dataDirDeniedMsg for dir as it is on disk.
func dataDirDenied(dir, what string, err error) error {
	owner := ""
	var mode fs.FileMode
	if fi, serr := os.Stat(dir); serr == nil {
		owner, mode = fileOwnerName(fi), fi.Mode().Perm()
	}
	return dataDirDeniedMsg(dir, owner, mode, currentUserName(), what, err)
}

// dataDirDeniedMsg is the refusal of a data directory: the directory,
// whose it is and its mode, who was refused what, and the command that
// works. The
// directory's owner is, on a server set up as docs/OPERATIONS.md says,
// the user textbankd serve runs as, whose files these are. owner is ""
// when the system does not say (then the advice names no user).
func dataDirDeniedMsg(dir, owner string, mode fs.FileMode, me, what string, err error) error {
	who := ""
	if me != "" {
		who = " by user " + me
	}
	if owner == "" {
		return fmt.Errorf("data directory %s may not be %s%s: %w; run textbankd as the user textbankd serve runs as, who owns it",
			dir, what, who, err)
	}
	if owner == "root" && me != "" && me != "root" {
		// Likelier made by root without -o (the operator audit) than
		// served by root: say both.
		//lint:ignore ST1005 the closing ... stands for the rest of the command line to run again, not the end of a sentence
		return fmt.Errorf("data directory %s (owned by root, mode %04o) may not be %s%s: %w; if textbankd serve runs as %s, the directory is to be theirs: "+
			"chown -R %s %s (docs/OPERATIONS.md makes it with install -d -m 700 -o textbank -g textbank); if it runs as root, run this as root too: sudo -u root textbankd ...",
			dir, mode, what, who, err, me, me, dir)
	}
	//lint:ignore ST1005 the closing ... stands for the rest of the command line to run again, not the end of a sentence
	return fmt.Errorf("data directory %s (owned by %s, mode %04o) may not be %s%s: %w; run textbankd as the user textbankd serve runs as, its owner: sudo -u %s textbankd ...",
		dir, owner, mode, what, who, err, owner)
}

// makeDataDir makes the data directory (0700: contacts' numbers live
// there), for what (the database, the simulated network's journal). Its
// refusal names the directory once, where it is when given relative (the
// default textbank-data, from a unit started in /, the operator audit),
// and what to give instead.
func makeDataDir(dir, what string) error {
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // "mkdir DIR: ..." would name it a second time
	}
	where := dir
	if abs, aerr := filepath.Abs(dir); aerr == nil && abs != dir {
		where = fmt.Sprintf("%s (%s)", dir, abs)
	}
	return fmt.Errorf("cannot make the data directory %s for %s: %w; give --data (or TEXTBANK_DATA) a directory the server's user may write, such as /var/lib/textbank",
		where, what, err)
}
