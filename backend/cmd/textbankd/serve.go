package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/democampaign"
	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// shutdownGrace bounds how long in-flight requests may finish on SIGTERM.
const shutdownGrace = 10 * time.Second

func serve(ctx context.Context, cfg serveConfig, log zerolog.Logger) error {
	if cfg.demo && cfg.texts.provider == "" {
		cfg.texts.provider = "sim"
	}
	if cfg.envDBOverridden {
		// Two places name the database and disagree: one of them is a
		// leftover, and which one serve uses is worth a line.
		where := redactURL(cfg.db)
		if cfg.db == "" {
			where = "SQLite in --data"
		}
		log.Warn().Str("db", where).Msg("TEXTBANK_DB names another database than --db; serving the one --db names")
	}
	if len(cfg.secretFlags) > 0 {
		log.Warn().Strs("flags", cfg.secretFlags).Msg("a secret is typed on the command line, which ps shows every user of this machine " +
			"(and a systemd unit's ExecStart too): give it in its TEXTBANK_* variable instead, from an EnvironmentFile of mode 0600 " +
			"(docs/OPERATIONS.md, section 2), or the token in --twilio-auth-token-file")
	}
	// --data is locked while serving when it holds the SQLite database, or
	// on PostgreSQL the simulated network's journal (lockServe).
	lockFor := ""
	switch {
	case cfg.db == "":
		lockFor = "the database"
	case cfg.texts.provider == "sim":
		lockFor = "the simulated network's journal"
	}
	// A port already taken is the likeliest reason serve cannot start:
	// listening before --data is made leaves no new directory or empty
	// database behind. An existing --data is locked first, though, so that
	// a second server on it hears that, not of a port (likely the first
	// server's) taken. server.Run serves the listener, or closes it.
	var release func()
	var lock os.FileInfo // the lock file held, from its handle, for the watch
	if fi, err := os.Stat(cfg.data); lockFor != "" && err == nil && fi.IsDir() {
		// Another user's 0700 directory would fail at the lock file
		// ("open .../textbankd.lock: permission denied"), naming no owner.
		if err := checkDataDirAccess(cfg.data); err != nil {
			return refuse(err)
		}
		if release, lock, err = lockServe(cfg.data, lockFor); err != nil {
			return refuse(err)
		}
		defer release()
	}
	ln, err := server.Listen(cfg.addr)
	if err != nil {
		return err
	}
	handedOver := false
	defer func() {
		if !handedOver {
			ln.Close()
		}
	}()
	if lockFor != "" && release == nil {
		// On PostgreSQL the simulated network's journal lives in --data:
		// a directory that cannot be made is said before the database is
		// migrated, not after.
		if err := makeDataDir(cfg.data, lockFor); err != nil {
			return refuse(err)
		}
		if release, lock, err = lockServe(cfg.data, lockFor); err != nil {
			return refuse(err)
		}
		defer release()
	}
	// Opening refuses a database a newer textbankd migrated, and applies
	// this one's migrations otherwise.
	st, err := openDB(ctx, cfg.db, cfg.data, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.db != "" {
		if err := markPostgresDataDir(cfg.data, cfg.db); err != nil {
			log.Warn().Err(err).Str("data", cfg.data).Msg("could not note in --data that this server runs on PostgreSQL; " +
				"organizer commands given only --data would not be told to give --db")
		}
	}
	if pg, ok := st.(*postgres.Store); ok && cfg.adoptGrace > 0 {
		if cfg.adoptGrace < postgres.SafeAdoptGrace {
			log.Warn().Dur("adopt_grace", cfg.adoptGrace).Msg("--adopt-grace is shorter than the longest provider call past the lease (34s): a text could go out twice when a server's database connection is cut")
		}
		pg.SetAdoptGrace(cfg.adoptGrace)
	}
	if cfg.texts.provider == "sim" && cfg.db == "" {
		if err := checkSimOnRealTexts(ctx, cfg.data, st); err != nil {
			return err
		}
	}
	if cfg.db != "" && cfg.texts.provider != "" {
		if cfg.texts.provider == "sim" {
			if err := checkSimOnPostgres(ctx, cfg.db, cfg.demo, st); err != nil {
				return err
			}
		}
		// Before the demo's seed: its texts and accounts are then the
		// simulated network's, not a real campaign's.
		if err := noteProviderServed(ctx, st, cfg.texts.provider, time.Now()); err != nil {
			return err
		}
	}
	if cfg.texts.provider == "" {
		if err := checkNumbersWithoutProvider(ctx, st); err != nil {
			return err
		}
	}
	var info democampaign.Info
	if cfg.demo {
		if info, err = democampaign.Seed(ctx, st, time.Now()); err != nil {
			return err
		}
	}
	if cfg.texts.provider == "sim" && cfg.db == "" {
		// After the demo's seed: its made-up texts are then older than
		// the journal, and the next start's check does not take them
		// for Twilio's.
		if err := markSimServed(cfg.data, time.Now()); err != nil {
			return err
		}
	}
	ph, err := newPhones(cfg.texts, cfg.data, log)
	if err != nil {
		return err
	}
	defer ph.close()
	// On SQLite, a restore onto the running server stops it rather than
	// leaving it on files nothing else reads, as the simulated network's
	// journal moved or deleted does on either engine; a lock file removed,
	// which would let a second server in, stops it on either engine.
	// Watched once the network has opened its journal.
	var moved <-chan error
	if lockFor != "" {
		watchCtx, stopWatch := context.WithCancel(ctx)
		defer stopWatch()
		var journal os.FileInfo // the network's own file, from its handle
		if ph.sim != nil {
			if journal, err = ph.sim.JournalInfo(); err != nil {
				return err
			}
		}
		if moved, err = watchDataFiles(watchCtx, cfg.data, lockFor, cfg.db == "", journal, lock); err != nil {
			return err
		}
	}
	// The account check may go on after serving starts; it ends with serve.
	checkCtx, stopCheck := context.WithCancel(ctx)
	defer stopCheck()
	twilioRefused, err := ph.checkTwilio(checkCtx, cfg.texts, log)
	if err != nil {
		return err
	}
	opts := server.RunOptions{
		Config: server.Config{Store: st, Provider: ph.provider, Log: log, Workers: cfg.texts.workers, Version: version,
			TrustedProxies: cfg.proxies, SignupsPerHour: cfg.signups},
		Listener: ln,
	}
	cfg.conns.apply(&opts.Config)
	opts.Config.Simulated = ph.sim != nil
	var simKey string // the door's key (backend/server/simdoor)
	if ph.sim != nil {
		opts.Attach = func(s *server.Server) { ph.sim.Attach(s) }
		var door http.Handler
		door, simKey = simdoor.NewHandler(ph.sim, st, log)
		opts.Mount = func(_ *server.Server, mux *http.ServeMux) { mux.Handle(simdoor.Path, door) }
	}
	if ph.webhooks != nil {
		opts.Mount = func(s *server.Server, mux *http.ServeMux) {
			mux.Handle(server.WebhookPrefix+"twilio/", ph.webhooks(s, s))
		}
	}
	handedOver = true
	run, err := server.Run(ctx, opts)
	if err != nil {
		return err
	}
	if ph.twilio != nil {
		// Replies Twilio posted while this server was down or could not
		// reach it (it tries a webhook twice, then drops it): listed and
		// stored in the background at the start and every
		// --inbound-catchup, ended before the store closes.
		catchCtx, stopCatch := context.WithCancel(ctx)
		caught := make(chan struct{})
		go func() {
			defer close(caught)
			run.Server.RunInboundCatchUp(catchCtx, ph.twilio, cfg.texts.catchUpEvery)
		}()
		defer func() { stopCatch(); <-caught }()
	}
	if ph.sim != nil {
		// Without its door the server runs on: sim text says none is open.
		if closeDoor, err := simdoor.Open(cfg.data, run.Addr, simKey); err != nil {
			log.Warn().Err(err).Msg("textbankd sim text cannot reach this server")
		} else {
			defer closeDoor()
		}
	}
	ev := log.Info().Str("version", version).Str("addr", run.Addr).Str("data", cfg.data).Str("provider", cfg.texts.provider)
	if cfg.texts.provider == "twilio" {
		ev = ev.Str("public_url", twilio.ShownURL(cfg.texts.publicURL))
	}
	if cfg.db != "" {
		ev = ev.Str("db", redactURL(cfg.db))
	}
	if len(cfg.proxies) > 0 {
		ev = ev.Str("trusted_proxies", fmt.Sprint(cfg.proxies))
	}
	ev = cfg.conns.logged(ev)
	if cfg.texts.provider == "" {
		log.Warn().Str("version", version).Str("addr", run.Addr).Str("data", cfg.data).
			Msg("textbankd serving with no SMS provider: every text fails; restart with --provider twilio before a campaign gets its numbers")
	} else {
		ev.Msg("textbankd serving")
	}
	if limit, ok := openFileLimit(); ok {
		warnFileLimit(log, cfg.conns.openFiles(), limit)
	}
	if cfg.demo {
		log.Info().Str("join_code", info.JoinCode).Str("volunteer", info.VolunteerEmail).
			Msg("demo mode: sign in as the demo volunteer and join with the code")
	}

	var served error
	select {
	case served = <-run.Failed():
	case served = <-twilioRefused: // nil (never ready) once the check is settled
	case served = <-moved: // nil (never ready) with nothing locked
	case <-ctx.Done():
		log.Info().Msg("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := run.Close(sctx); err != nil && served == nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return served
}

// fileSpare is what the server holds open besides its connections (those
// --max-conns and --webhook-reserve let in): the database and its pool,
// the listener, the journal, the log.
const fileSpare = 256

// warnFileLimit says when the process may open fewer files than conns
// connections (--max-conns and --webhook-reserve) and fileSpare need: past
// the limit, connections fail to be accepted (the HTTP server waits and
// retries) before the cap refuses any, and the database may fail to open
// a file.
func warnFileLimit(log zerolog.Logger, conns int, limit uint64) {
	if limit < uint64(conns)+fileSpare {
		log.Warn().Uint64("open_files", limit).Int("connections", conns).Msg("the open-file limit is below --max-conns and --webhook-reserve " +
			"plus 256 the server needs besides: raise it (LimitNOFILE= in the systemd unit, ulimit -n) or lower --max-conns")
	}
}

// checkNumbersWithoutProvider refuses serve without a provider on a
// database whose campaigns have sending numbers: volunteers there text,
// and each text would fail for good, its contact spent (nothing resends a
// failed first text), with one info line at start to say why (the
// operator audit: a unit missing its --provider line). A server not yet
// given numbers may start without one, as before Twilio is set up.
func checkNumbersWithoutProvider(ctx context.Context, st store.Store) error {
	var nums []store.SendingNumberInfo
	if err := st.View(ctx, func(tx store.Tx) error {
		var err error
		nums, err = tx.ListSendingNumbers(ctx, "")
		return err
	}); err != nil {
		return fmt.Errorf("read the sending numbers: %w", err)
	}
	if len(nums) == 0 {
		return nil
	}
	return refuse(fmt.Errorf("no --provider, and the campaigns here have %d sending numbers: every text volunteers send would fail for good, "+
		"its contact spent; give --provider twilio with its credentials (docs/OPERATIONS.md, section 2), or TEXTBANK_PROVIDER", len(nums)))
}

const noProviderMsg = "not sent: the campaign server has no SMS provider; its operator restarts textbankd serve " +
	"with --provider twilio (or --provider sim for simulated texts)"

// noProvider refuses every text until a real provider is configured, so a
// send fails visibly (the message shows failed) instead of vanishing.
type noProvider struct{}

func (noProvider) Send(context.Context, sms.Outbound) (string, error) {
	// Volunteers and admins read this on the failed text; it is for the
	// server's operator. --demo would be wrong advice: its accounts'
	// password is public.
	return "", errors.New(noProviderMsg)
}

func (noProvider) Lookup(context.Context, sms.Outbound, time.Time) ([]sms.Sent, error) {
	return nil, nil
}
