package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
)

// dbFlagHelp is the --db flag's help, shared by serve and the organizer
// commands.
const dbFlagHelp = "PostgreSQL database URL, postgres://USER@HOST:PORT/DB (TEXTBANK_DB; put the password in " +
	"PGPASSWORD or ~/.pgpass, not in a flag); empty: SQLite in --data"

// isPostgresURL reports whether --db names a PostgreSQL database (its
// scheme in any case; postgres.Open lower-cases it for pgx).
func isPostgresURL(db string) bool { return postgres.IsURL(db) }

// checkDB refuses a --db that names no database textbankd can open.
func checkDB(db string) error {
	if db != "" && !isPostgresURL(db) {
		return fmt.Errorf("--db %q: want a postgres:// URL, or no --db for SQLite in --data", redactURL(db))
	}
	return nil
}

// openDB opens the campaign database: PostgreSQL when db is a URL, else
// the SQLite file in dataDir. create makes a missing data directory (serve);
// the organizer commands refuse one, so that a mistyped --data does not
// quietly start an empty campaign.
func openDB(ctx context.Context, db, dataDir string, create bool) (store.Store, error) {
	// What is wrong with --db or --data is refused (refuse: serve exits
	// exitRefused); what goes wrong opening the database may pass.
	if err := checkDB(db); err != nil {
		return nil, refuse(err)
	}
	if db != "" {
		return postgres.Open(ctx, db)
	}
	if create {
		if err := makeDataDir(dataDir, "the database"); err != nil {
			return nil, refuse(err)
		}
	} else if fi, err := os.Stat(dataDir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("--data %s is a file, not a directory: pass the directory that holds %s (--data %s)", dataDir, store.FileName, filepath.Dir(dataDir))
	} else if err != nil {
		return nil, fmt.Errorf("data directory %s does not exist; pass the --data directory of textbankd serve (or create it)", dataDir)
	}
	if err := checkDataDirAccess(dataDir); err != nil {
		return nil, refuse(err)
	}
	if err := checkNotPostgresDataDir(dataDir); err != nil {
		return nil, refuse(err)
	}
	path := filepath.Join(dataDir, store.FileName)
	if !create {
		if err := checkDataDir(dataDir, path); err != nil {
			return nil, err
		}
	}
	// SQLite would make a new database file 0644 (its -wal and -shm take
	// the file's mode): readable by every local user, with contacts'
	// numbers and password hashes in it. An empty file is an empty
	// database, so make it owner-only first; an existing file is left as
	// its owner set it.
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		f.Close()
	} else if errors.Is(err, fs.ErrPermission) {
		// No database yet, in a directory this user may not write: the
		// directory is another user's, not missing a database.
		return nil, refuse(dataDirDenied(dataDir, "written", err))
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if err := checkWritable(path); err != nil {
		return nil, refuse(err)
	}
	if create {
		return store.Open(ctx, path) // serve, which holds the serve lock
	}
	// An organizer command of a newer textbankd beside an older serve:
	// migrating would change the schema under the running server. Its
	// commits are on the disk before it says they are done.
	return store.OpenWith(ctx, path, store.Options{SyncEachCommit: true, Pending: func(v schema.Version) error {
		if !serveRunning(dataDir) {
			return nil
		}
		return fmt.Errorf("a textbankd serve is running on %s (it holds %s), at schema version %d; this textbankd would migrate the database to %d under it: stop the server, then run textbankd migrate and start the new one (docs/OPERATIONS.md, \"Upgrading textbankd\")",
			dataDir, filepath.Join(dataDir, serveLockName), v.Current, v.Latest)
	}})
}

// noDataNamed refuses an organizer command given neither --data nor --db
// (nor their variables) when the default data directory is not here: the
// usual cause is sudo, which drops TEXTBANK_DATA and TEXTBANK_DB from the
// environment (sudo -u textbank textbankd ..., as docs/OPERATIONS.md runs
// every command), and "data directory textbank-data does not exist" did
// not say that no directory had been named at all.
func noDataNamed(o cliOpts, set map[string]bool) error {
	if set["data"] || set["db"] {
		return nil
	}
	if _, err := os.Stat(o.data); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("no --data or --db was given (nor TEXTBANK_DATA or TEXTBANK_DB), and this directory has no %s (the default --data): "+
		"pass --data with the directory of textbankd serve, or --db; sudo drops TEXTBANK_* variables, so give the flag (sudo -u textbank textbankd ... --data /var/lib/textbank)", o.data)
}

// checkDataDir refuses, for an organizer command, a directory with no
// database that holds other files: a mistyped --data (/var/lib, a home
// directory) would otherwise get an empty campaign database, and the
// command would answer as if the campaign did not exist. An empty
// directory is a new server's: its first command (users add, campaign
// create) starts the database, as serve does.
func checkDataDir(dataDir, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or unreadable: opening it says which
	}
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return fmt.Errorf("read data directory %s: %w", dataDir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	return fmt.Errorf("%s holds no Textbank database (%s) but other files: pass the --data directory of textbankd serve, or an empty directory to start a new one",
		dataDir, store.FileName)
}

// checkWritable refuses a database file (or its -wal or -shm) this user may
// not write, naming it and its owner: SQLite's own words for it come out
// of the first migration step ("adopt old migration record: unable to
// open database file"), which reads as a schema problem. Typical causes: a
// backup restored by root, an organizer command run as a login user.
func checkWritable(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err == nil {
			f.Close()
			continue
		}
		if !errors.Is(err, fs.ErrPermission) {
			continue // missing is fine; anything else SQLite reports
		}
		return unwritableFile(p)
	}
	return nil
}

// unwritableFile is the refusal of a file in the data directory this user
// may not write: whose it is, and whose it is to be.
func unwritableFile(p string) error {
	owner := ""
	if fi, serr := os.Stat(p); serr == nil {
		owner = fileOwner(fi)
	}
	// The user serve runs as owns the data directory, set up as
	// docs/OPERATIONS.md says: name that user, not a guess.
	server := ""
	if fi, serr := os.Stat(filepath.Dir(p)); serr == nil {
		server = fileOwnerName(fi)
	}
	if server == "" {
		return fmt.Errorf("cannot write %s%s: permission denied; the database's files must belong to the user textbankd serve runs as (chown them to it), and organizer commands run as that user too", p, owner)
	}
	//lint:ignore ST1005 the closing ... stands for the rest of the command line to run again, not the end of a sentence
	return fmt.Errorf("cannot write %s%s: permission denied; the database's files must belong to the user textbankd serve runs as, the data directory's owner %s (chown them to it), and organizer commands run as that user too: sudo -u %s textbankd ...", p, owner, server, server)
}

// redactURL hides the secrets of a URL, for messages and logs: the
// password in its user part and any password parameter (a PostgreSQL
// URL's as postgres.MaskPassword masks them). A URL that
// does not parse is not shown at all (it may hold a password anywhere).
func redactURL(db string) string {
	// redacted has no character a URL escapes: "***" printed as %2A%2A%2A.
	const redacted = "REDACTED"
	if !strings.ContainsAny(db, "=@:") {
		return db // a path or a name: nothing secret in it
	}
	if postgres.IsURL(db) {
		// As the driver reads it: url.Parse ends the user part at a '/',
		// '?' or '#', and showed the rest of a password that holds one
		// (postgres://tb:12/34@db/tb).
		return postgres.MaskPassword(db)
	}
	u, err := url.Parse(db)
	if err != nil || u.Scheme == "" {
		return "(a database URL that could not be read; not shown)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), redacted)
	}
	q := u.Query()
	hidden := false
	for k := range q {
		if passwordParam(k) {
			q.Set(k, redacted)
			hidden = true
		}
	}
	if hidden {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// passwordParam says a database URL's query parameter carries a password
// (password, sslpassword, PGPASSWORD...): redactURL hides its value and
// sameDatabase compares URLs without it, so the two agree on what is secret.
func passwordParam(key string) bool {
	return strings.Contains(strings.ToLower(key), "password")
}

// postgresMarkerName is the file serve --db leaves in its --data
// directory, naming (without its password) the PostgreSQL database it
// serves.
const postgresMarkerName = "textbankd-postgres"

// markPostgresDataDir notes in an existing --data directory that serve
// runs on PostgreSQL, so that a command later given only this --data (as
// docs/OPERATIONS.md writes most commands) is refused rather than run on
// an empty SQLite database made beside it. A --data that does not exist
// is not made for it.
func markPostgresDataDir(dataDir, db string) error {
	if fi, err := os.Stat(dataDir); err != nil || !fi.IsDir() {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dataDir, store.FileName)); err == nil {
		// A SQLite campaign's directory (the default --data of both
		// modes): the note would lock its own server and commands out.
		return fmt.Errorf("%s holds a SQLite database (%s): give this server a --data of its own", dataDir, store.FileName)
	}
	body := redactURL(db) + "\n# textbankd serve runs on this PostgreSQL database with this directory as its --data; " +
		"give the organizer commands the same --db (or TEXTBANK_DB). Delete this file only if the campaign moves back to SQLite in this directory.\n"
	tmp := filepath.Join(dataDir, postgresMarkerName+".tmp")
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dataDir, postgresMarkerName))
}

// checkNotPostgresDataDir refuses SQLite in a --data directory whose serve
// runs on PostgreSQL. Without it, users add --data DIR (TEXTBANK_DB not set
// in this shell, only in the server's unit) made an account in a new,
// empty SQLite database nobody serves and said "Created account"; users
// sign-out --all --yes --data DIR said "Ended 0 sign-ins" while every
// sign-in on the real server stayed valid; and a serve restarted without
// its TEXTBANK_DB served an empty campaign database.
func checkNotPostgresDataDir(dataDir string) error {
	raw, err := os.ReadFile(filepath.Join(dataDir, postgresMarkerName))
	if err != nil {
		return nil
	}
	db, _, _ := strings.Cut(string(raw), "\n")
	db = strings.TrimSpace(db)
	if db == "" {
		db = "a PostgreSQL database"
	}
	return fmt.Errorf("textbankd serve runs on PostgreSQL (%s) with %s as its --data: without --db this command would use an empty SQLite database there "+
		"instead of the campaign's; give it --db %s (or set TEXTBANK_DB), as serve has it; if the campaign has moved back to SQLite in this directory, delete %s",
		db, dataDir, db, filepath.Join(dataDir, postgresMarkerName))
}
