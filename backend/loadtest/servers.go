package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store/postgres"
)

// process is one `textbankd serve` of a run with --servers.
type process struct {
	url  string
	cmd  *exec.Cmd
	log  string // its stderr, kept in the run's directory
	done chan struct{}

	mu     sync.Mutex
	killed bool
}

// startServers starts n `textbankd serve --provider twilio` processes on
// the run's database (serverCmd), all sending through nw, and waits until
// each answers /healthz.
func startServers(ctx context.Context, o Options, tmp string, nw *twilioNet) ([]*process, error) {
	procs := make([]*process, 0, o.Servers)
	stop := func() {
		for _, p := range procs {
			p.stop()
		}
	}
	for i := range o.Servers {
		addr, err := freeAddr()
		if err != nil {
			stop()
			return nil, err
		}
		logPath := filepath.Join(tmp, "server-"+strconv.Itoa(i)+".log")
		logFile, err := os.Create(logPath)
		if err != nil {
			stop()
			return nil, err
		}
		cmd := serverCmd(o, addr, filepath.Join(tmp, "data-"+strconv.Itoa(i)), nw)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			logFile.Close()
			stop()
			return nil, fmt.Errorf("start server %d (%s): %w", i, o.Binary, err)
		}
		p := &process{url: "http://" + addr, cmd: cmd, log: logPath, done: make(chan struct{})}
		go func() { _ = cmd.Wait(); logFile.Close(); close(p.done) }()
		procs = append(procs, p)
	}
	for i, p := range procs {
		if err := p.waitHealthy(ctx, 30*time.Second); err != nil {
			stop()
			return nil, fmt.Errorf("server %d: %w", i, err)
		}
	}
	return procs, nil
}

// serverCmd is the command of one `textbankd serve` of the run. The
// database URL (which may carry a password) and the Twilio token go in
// its environment, not on its command line: ps shows every local user a
// process's arguments, but its environment only to its owner.
func serverCmd(o Options, addr, dataDir string, nw *twilioNet) *exec.Cmd {
	args := []string{"serve", "--addr", addr, "--data", dataDir,
		"--log-level", "warn", "--provider", "twilio", "--twilio-account-sid", nw.sid, "--twilio-api-url", nw.url,
		"--public-url", nw.public}
	if o.AdoptGrace > 0 {
		args = append(args, "--adopt-grace", o.AdoptGrace.String())
	}
	// Every volunteer connects from loopback, keeping a few connections
	// to each server: one address may hold as many as the server takes.
	conns := strconv.Itoa(max(server.DefaultMaxConns, 4*o.Volunteers))
	args = append(args, "--max-conns", conns, "--max-conns-per-address", conns)
	cmd := exec.Command(o.Binary, args...)
	// Appended last, these win over the same names in this environment.
	cmd.Env = append(os.Environ(), "TEXTBANK_DB="+o.DB, "TEXTBANK_TWILIO_AUTH_TOKEN="+nw.token)
	return cmd
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func (p *process) waitHealthy(ctx context.Context, wait time.Duration) error {
	end := time.Now().Add(wait)
	for {
		resp, err := http.Get(p.url + api.PathHealth)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("textbankd exited at start; its log: %s", tail(p.log))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(end) {
			return fmt.Errorf("textbankd not healthy after %s; its log: %s", wait, tail(p.log))
		}
	}
}

// kill ends the process as a power cut or the OOM killer would: SIGKILL,
// no shutdown, texts left mid-send.
func (p *process) kill() error {
	p.mu.Lock()
	p.killed = true
	p.mu.Unlock()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill server: %w", err)
	}
	<-p.done
	return nil
}

// stop ends a server that is still running the polite way (SIGTERM: it
// finishes the texts it holds), then for good after a grace period.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

// exitedEarly says whether a server that was not killed has stopped.
func (p *process) exitedEarly() error {
	p.mu.Lock()
	killed := p.killed
	p.mu.Unlock()
	select {
	case <-p.done:
		if !killed {
			return fmt.Errorf("server %s stopped by itself; its log: %s", p.url, tail(p.log))
		}
	default:
	}
	return nil
}

// tail is the end of a server's log, for an error message.
func tail(path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	const keep = 2000
	if len(raw) > keep {
		raw = raw[len(raw)-keep:]
	}
	if len(raw) == 0 {
		return "(empty)"
	}
	return string(raw)
}

var errNoBinary = errors.New("--servers needs the textbankd binary to start (Options.Binary)")

// settle vacuums the contacts just seeded, as autovacuum does within a
// minute of an import. A campaign imports its contacts long before
// hundreds of volunteers start; without it the run's first seconds measure
// PostgreSQL reading 20,000 fresh rows' visibility from the heap for every
// batch's pool count.
func settle(ctx context.Context, dbURL string) error {
	db, err := openPostgres(dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) contacts`); err != nil {
		return fmt.Errorf("vacuum the seeded contacts: %w", err)
	}
	return nil
}

// orphaned counts the texts left sending by servers that are gone (their
// instance lock free), shortly after a kill: PostgreSQL notices the closed
// connection at once, and a survivor adopts them once the key has been
// free for 40 s. -1 when the count fails.
func orphaned(ctx context.Context, dbURL string) int {
	db, err := openPostgres(dbURL)
	if err != nil {
		return -1
	}
	defer db.Close()
	time.Sleep(200 * time.Millisecond)
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages m WHERE m.status = 'sending' AND NOT EXISTS (
		SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND l.classid = (m.claimed_by >> 32)::oid AND l.objid = (m.claimed_by & 4294967295)::oid AND l.objsubid = 1)`).Scan(&n)
	if err != nil {
		return -1
	}
	return n
}

// openPostgres opens the database of a server's --db URL for the driver's
// own checks. The URL may carry the server's pool settings
// (pool_max_conns, ...), which only pgxpool understands: PostgreSQL refuses
// a connection that passes them on as its own parameters.
func openPostgres(dbURL string) (*sql.DB, error) {
	cfg, err := postgres.ParseURL(dbURL)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg.ConnConfig), nil
}
