package postgres

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// connectError tells a failed connection once per address. With
// sslmode=prefer (pgx's default) pgx tries each address with TLS and then
// without, and a refused dial fails both ways alike, so its error names
// every address twice; a server without TLS refuses the first try, and
// that line, beside the plain try's real reason (a password, a database
// missing), sent operators to TLS (the operator audit), so it is left out
// when another reason is there. The cause is kept whole for errors.Is and
// As.
type connectError struct{ err error }

// tlsRefused ends the line of a TLS try a server without TLS refused.
const tlsRefused = "tls error: server refused TLS connection"

func (e connectError) Error() string {
	lines := strings.Split(e.err.Error(), "\n")
	seen := make(map[string]bool, len(lines))
	kept := lines[:0]
	other := false
	for i, l := range lines {
		other = other || (i > 0 && !strings.HasSuffix(l, tlsRefused))
	}
	for _, l := range lines {
		if !seen[l] && !(other && strings.HasSuffix(l, tlsRefused)) {
			seen[l] = true
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

func (e connectError) Unwrap() error { return e.err }

// connectHint adds to a refused connection what PostgreSQL's words leave
// out. A refused password (28P01) when none was given: a ~/.pgpass line
// that does not match the URL (another spelling of the host, a port or
// database of its own) reads as a wrong password. A refused authorization
// (28000) is about the role, not a password: the role does not exist, or
// no pg_hba.conf line lets it in from here, and password advice would send
// the operator to the wrong file.
//
// A connection refused (nothing listening there) is named by the
// addresses the URL gives, without its password, with what to check: the
// driver's words name an address and "connection refused" only.
func connectHint(err error, cfg *pgxpool.Config) error {
	c := cfg.ConnConfig
	if connRefused(err) {
		return fmt.Errorf("%w\nnothing accepts connections at %s: check that PostgreSQL is running there (systemctl status postgresql), "+
			"that it listens on that address and port (listen_addresses and port in postgresql.conf, which take a restart), "+
			"and that the host and port in --db (or TEXTBANK_DB) are right", err, dialedAddresses(c))
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return err
	}
	switch {
	case pg.Code == "28P01" && c.Password == "":
		// Over a Unix socket the driver (as libpq) looks for the host
		// localhost in ~/.pgpass, not the socket's directory.
		host, written := c.Host, "host, port and database written as in the URL"
		if network, _ := pgconn.NetworkAddress(c.Host, c.Port); network == "unix" {
			host, written = "localhost", "localhost standing for the Unix socket "+c.Host+", port and database as in the URL"
		}
		return fmt.Errorf("%w\nno password was found for it: give one in PGPASSWORD, or in the ~/.pgpass of the user textbankd runs as (mode 0600) with the line %s:%d:%s:%s:PASSWORD, %s; "+
			"a : or \\ in the password is written \\: or \\\\ there (a line with an unescaped : is skipped)",
			err, host, c.Port, c.Database, c.User, written)
	case pg.Code == "28000":
		return fmt.Errorf("%w\nPostgreSQL does not let the role %s into database %s from this host: the role may not exist (CREATE ROLE %s LOGIN), or no line of the server's pg_hba.conf allows it (add one for this database, role and client address, then reload PostgreSQL)",
			err, c.User, c.Database, c.User)
	}
	return err
}

// hostsWithoutAt refuses a URL whose host holds an '@': a password with an
// '@' not written %40 ("postgres://u:p@ss@db:5432/x") is cut at its first
// '@' by the driver, and the rest of it taken as the host ("ss@db"),
// which every error names (the driver's own, redact's, the refused
// connection's hint): part of the password in the log. Told before any
// connection, without the host.
func hostsWithoutAt(c *pgx.ConnConfig) error {
	hosts := []string{c.Host}
	for _, f := range c.Fallbacks {
		hosts = append(hosts, f.Host)
	}
	for _, h := range hosts {
		if network, _ := pgconn.NetworkAddress(h, 0); network != "unix" && strings.Contains(h, "@") {
			return errAtInHost
		}
	}
	return nil
}

// errAtInHost is hostsWithoutAt's and pathWithoutAt's refusal.
var errAtInHost = errors.New("postgres url: its host or database holds an '@', which in a postgres:// URL ends the user and password: " +
	"write an '@' in the password (or user) as %40, and a '/' as %2F, or give the password in PGPASSWORD or ~/.pgpass " +
	"(the URL is not shown: it may hold part of the password)")

// dialedAddresses names where the driver connects: the URL's host and
// port, and its other hosts (a URL may list several), each once (with
// sslmode=prefer every one is tried twice).
func dialedAddresses(c *pgx.ConnConfig) string {
	var names []string
	seen := map[string]bool{}
	add := func(host string, port uint16) {
		name := net.JoinHostPort(host, strconv.Itoa(int(port)))
		if network, addr := pgconn.NetworkAddress(host, port); network == "unix" {
			name = "the Unix socket " + addr
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	add(c.Host, c.Port)
	for _, f := range c.Fallbacks {
		add(f.Host, f.Port)
	}
	return strings.Join(names, ", ")
}

// privilegeHint explains a migration PostgreSQL refused for want of a
// privilege (42501): from PostgreSQL 15 only the database's owner may
// create tables in schema public, and a schema restored by another role
// belongs to that role.
func privilegeHint(err error, cfg *pgxpool.Config) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "42501" {
		return err
	}
	c := cfg.ConnConfig
	return fmt.Errorf("%w\nthe role %s may not create or change textbankd's tables in database %s: the role textbankd connects as must own the database and its tables (a new one: createdb -O %s %s; an existing one: ALTER DATABASE %s OWNER TO %s; a dump is restored as that role, or with pg_restore --no-owner --role=%s)",
		err, c.User, c.Database, c.User, c.Database, c.Database, c.User, c.User)
}

// refusedCodes are the SQLSTATEs of PostgreSQL refusing what its operator
// must change (a role, a password, pg_hba.conf, a database, a grant)
// before the next try can pass, as opposed to a connection cut or a server
// restarting, which the next try may find passed.
var refusedCodes = map[string]bool{
	"28000": true, // invalid_authorization_specification: no such role, no pg_hba.conf line, no LOGIN
	"28P01": true, // invalid_password
	"3D000": true, // invalid_catalog_name: the database does not exist
	"42501": true, // insufficient_privilege: the role may not create or change the tables
}

// Refused reports whether err is PostgreSQL refusing what only
// its operator can change: a role, password or pg_hba.conf line PostgreSQL
// turns away, a database missing, a role without the privileges the
// schema needs. textbankd serve exits
// EX_CONFIG for these, which its supervisor does not restart; a
// connection refused or cut, a server starting or shutting down, too many
// connections, may pass, and are not refusals.
func Refused(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && refusedCodes[pg.Code]
}
