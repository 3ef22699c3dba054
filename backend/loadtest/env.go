package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
	"golang.org/x/crypto/bcrypt"
)

// serveDBFile is the database textbankd serve keeps in its --data
// directory (demo.DBFile, named again to keep the demo out of this package).
const serveDBFile = "textbank.db"

// env is the server under test: the run's own, or a target's database.
type env struct {
	urls    []string // the servers volunteers reach, each volunteer's first choice in turn
	dbPath  string
	st      store.Store
	net     *simnet.Network // the network of a server in this process
	journal string          // its journal
	tw      *twilioNet      // the network of server processes
	procs   []*process
	// target: driving --target, whose network is its own. targetJournal
	// is its simulated network's journal ("" if it keeps none: a real
	// provider), whose lines from journalFrom on (the mark noted at its
	// start, which also knows the file) were written since the
	// run began; action is the run's action, whose texts alone are the
	// run's to count there.
	target        bool
	targetJournal string
	journalFrom   simnet.JournalMark
	action        string
	// receiver takes the network's replies; nil with --target. texted
	// lists the texts sent so far, whom the replies come from.
	receiver sms.Receiver
	texted   func() []sms.Outbound
	stop     func()
	once     sync.Once
}

func (e *env) close() { e.once.Do(e.stop) }

func start(ctx context.Context, o Options, tmp string) (*env, error) {
	if o.Target != "" {
		return startTarget(ctx, o)
	}
	if o.Servers > 0 {
		return startProcesses(ctx, o, tmp)
	}
	path := o.DB
	if path == "" {
		path = filepath.Join(tmp, "textbank.db")
	}
	var st store.Store
	var err error
	if isPostgres(path) {
		var pg *postgres.Store
		if pg, err = postgres.Open(ctx, path); err == nil {
			if o.AdoptGrace > 0 {
				pg.SetAdoptGrace(o.AdoptGrace)
			}
			st = pg
		}
	} else {
		st, err = store.Open(ctx, path)
	}
	if err != nil {
		return nil, err
	}
	journal := filepath.Join(tmp, "network.jsonl")
	netw := simnet.New(simnet.Config{Mix: simnet.Mix{simnet.Silent: 1}}, zerolog.Nop())
	if err := netw.UseJournal(journal); err != nil {
		st.Close()
		return nil, err
	}
	// Nothing kills this process mid-run; the journal is read after Close.
	netw.UnsyncedJournal()
	// Passwords are hashed at the lowest cost: the run measures texting,
	// and 200 sign-ups at the default cost would take a core for seconds.
	// They all sign up from loopback: the per-address limit on new
	// accounts is raised to let them.
	srv, err := server.New(server.Config{Store: st, Provider: netw, Log: o.Log.Level(zerolog.WarnLevel), BcryptCost: bcrypt.MinCost,
		SignupsPerHour: max(o.Volunteers, server.DefaultSignupsPerHour)})
	if err != nil {
		st.Close()
		return nil, err
	}
	netw.Attach(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, err
	}
	hs := newHTTPServer(srv.Handler())
	// The server in this process runs as `textbankd serve` would, with its
	// collector target; the baseline, measured once it has stopped, runs
	// with Go's default, as a bare handler would.
	restoreGC := server.TuneGC(os.Getenv)
	go as(roleServer, func() { _ = hs.Serve(ln) })
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	// The background work serve runs (server.Run): the dispatcher; on
	// PostgreSQL the feed listener, which also hears token changes and so
	// lets the server cache tokens, and the analyzer of grown tables.
	var background *sync.WaitGroup
	as(roleServer, func() { background = srv.RunBackground(dctx, time.Hour, time.Second) })
	return &env{urls: []string{"http://" + ln.Addr().String()}, dbPath: path, st: st, net: netw, journal: journal,
		receiver: srv, texted: netw.Sent, stop: func() {
			srv.Close()
			_ = hs.Close()
			cancel()
			background.Wait()
			netw.Close()
			st.Close()
			restoreGC()
		}}, nil
}

// startTarget opens the database of the --target server (its SQLite file
// in --data, or the PostgreSQL database --db names) for the seeding and
// the checks, and notes its simulated network's journal, if it keeps one
// in --data (textbankd serve --provider sim), and where its end is: the
// checks count the run's texts in the lines after it.
func startTarget(ctx context.Context, o Options) (*env, error) {
	simulated, err := checkTarget(ctx, o)
	if err != nil {
		return nil, err
	}
	journal := filepath.Join(o.Data, simnet.JournalFile)
	_, err = os.Stat(journal)
	// A target not simulated sends through a real provider: a journal in
	// its --data is a former simulated network's, which gets no line now.
	hasJournal := err == nil && simulated
	switch {
	case !simulated:
	case errors.Is(err, fs.ErrNotExist):
		// serve --provider sim makes its journal at start: this --data is
		// not the target's, and its database may be another server's.
		return nil, fmt.Errorf("--data %s holds no %s, yet the server at --target runs --provider sim and keeps one in its --data: give that server's --data", o.Data, simnet.JournalFile)
	case err != nil:
		return nil, fmt.Errorf("the target's network journal: %w", err)
	}
	e := &env{urls: []string{o.Target}, target: true, dbPath: o.DB}
	if isPostgres(o.DB) {
		pg, err := postgres.Open(ctx, o.DB)
		if err != nil {
			return nil, err
		}
		e.st = pg
	} else {
		e.dbPath = filepath.Join(o.Data, serveDBFile)
		if _, err := os.Stat(e.dbPath); err != nil {
			return nil, fmt.Errorf("--data %s: no textbankd database there (a target on PostgreSQL: give its --db too): %w", o.Data, err)
		}
		st, err := store.Open(ctx, e.dbPath)
		if err != nil {
			return nil, err
		}
		e.st = st
	}
	e.stop = func() { e.st.Close() }
	if err := checkSameDatabase(ctx, o.Target, e.st); err != nil {
		e.close()
		return nil, err
	}
	if !hasJournal {
		return e, nil // a real provider's target, let by --target-is-not-production
	}
	// Its end, not its lines: the journal holds every text the target
	// ever sent (hundreds of MB after a soak), and the run's action,
	// seeded after this, has none of its texts before it. The network's
	// position index would serve as well, but it is in the target's
	// memory, not in the file. The mark knows the file and its first
	// line: a journal put in its place is refused, not read as this one.
	end, err := simnet.JournalEnd(journal)
	if err != nil {
		e.close()
		return nil, fmt.Errorf("the target's network journal: %w", err)
	}
	e.targetJournal, e.journalFrom = journal, end
	return e, nil
}

// startProcesses starts o.Servers textbankd processes on the PostgreSQL
// database o.DB, sending through a Twilio stand-in, and opens the database
// for the seeding and the checks (migrating it first, as `textbankd
// migrate` would before a rollout).
func startProcesses(ctx context.Context, o Options, tmp string) (*env, error) {
	st, err := postgres.Open(ctx, o.DB)
	if err != nil {
		return nil, err
	}
	nw, err := newTwilioNet()
	if err != nil {
		st.Close()
		return nil, err
	}
	procs, err := startServers(ctx, o, tmp, nw)
	if err != nil {
		nw.close()
		st.Close()
		return nil, err
	}
	e := &env{dbPath: o.DB, st: st, tw: nw, procs: procs, texted: nw.sent}
	for _, p := range procs {
		e.urls = append(e.urls, p.url)
	}
	e.receiver = &webhooks{net: nw, servers: e.urls, client: &http.Client{Timeout: time.Minute}}
	e.stop = func() {
		for _, p := range procs {
			p.stop()
		}
		nw.close()
		st.Close()
	}
	return e, nil
}

// drain waits until no text is queued or sending (the dispatchers have
// sent the run's backlog) and returns how many are left, which count as
// lost. It waits as long as that number falls: a fast run leaves a backlog
// of tens of thousands, which one server left after a SIGKILL sends for
// minutes. It gives up when the number has not fallen for stall (the
// dispatchers stopped sending), or after most at all.
func (e *env) drain(ctx context.Context, stall, most time.Duration) (int, error) {
	return waitDrained(ctx, func() (n int, err error) {
		err = e.st.View(ctx, func(tx store.Tx) error {
			n, err = tx.CountPending(ctx)
			return err
		})
		return n, err
	}, stall, most, 50*time.Millisecond)
}

// waitDrained is drain's policy, polling pending every tick.
func waitDrained(ctx context.Context, pending func() (int, error), stall, most, tick time.Duration) (int, error) {
	start := time.Now()
	least, fell := -1, start
	for {
		n, err := pending()
		if err != nil || n == 0 {
			return n, err
		}
		now := time.Now()
		if least < 0 || n < least {
			least, fell = n, now
		}
		if now.Sub(fell) > stall || now.Sub(start) > most {
			return n, nil
		}
		select {
		case <-ctx.Done():
			return n, ctx.Err()
		case <-time.After(tick):
		}
	}
}
