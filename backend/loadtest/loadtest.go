// Package loadtest drives a campaign server as a crowd of desktop apps
// would, on this machine only, and then checks that nothing was lost or
// sent twice: `textbankd loadtest` and BenchmarkTableLoadtest run it.
//
// N simulated volunteers sign up, join, take batches and send first texts
// one click (one push) at a time, pulling sync every few sends, while the
// simulated network delivers M inbound replies per second (every tenth
// delivered twice, as providers retry webhooks). When the duration is up,
// the volunteers finish the request under way, the dispatcher drains, and
// the run is checked against the network's journal (each accepted text
// sent exactly once) and the database (each accepted text recorded sent,
// each reply stored once). A bare net/http handler doing one SQLite insert
// per request is measured in the same run as the baseline.
//
// With Servers (`--servers 2 --kill-one`) the volunteers drive several
// `textbankd serve` processes on one PostgreSQL database, sending through
// one Twilio stand-in (twilionet.go), one of them SIGKILLed halfway; the
// same checks then also ask that nothing is left half sent.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store/postgres"
)

// Options says what to run (textbankd loadtest's defaults: 200
// volunteers, 500 replies a second, one minute).
type Options struct {
	Volunteers  int           // simulated volunteers
	InboundRate int           // inbound replies per second; 0: none
	Duration    time.Duration // how long volunteers send
	// DB is the database of the run's own server: a SQLite file, or a
	// postgres:// URL (textbankd --db); a new SQLite file in a temporary
	// directory if empty. With Target, only a postgres:// URL: the
	// target's database, when it runs on PostgreSQL.
	DB string
	// Target is the URL of a server already running on this machine; then
	// Data is its data directory, where the checks read its database
	// (unless DB names its PostgreSQL database) and its simulated
	// network's journal (simnet.JournalFile, if it runs `--provider
	// sim`; without one, texts sent twice are not counted and the summary
	// says duplicated=unchecked), and there is no inbound (the simulated
	// network runs inside it).
	Target string
	Data   string
	// TargetNotProduction lets a Target run that does not say it is
	// simulated (target.go): the operator's word that it is a test server.
	TargetNotProduction bool
	// Contacts seeded for the run: by default 100 per volunteer, and at
	// least 8,000 for each second of the run, so that the pool outlasts
	// a run at well above the goal's rate (20,000 at the least).
	Contacts int
	// Baseline is how long the bare one-insert handler is measured; the
	// smaller of Duration and 5s if zero.
	Baseline time.Duration
	// Servers, if above 0, runs that many `textbankd serve` processes
	// (Binary) on the PostgreSQL database DB instead of a server in this
	// process, all sending through one local stand-in of Twilio's API (the
	// run's network); volunteers are spread over them.
	Servers int
	Binary  string
	// KillOne SIGKILLs the first server halfway through the run; its
	// volunteers and replies move to the others, as behind a reverse proxy.
	KillOne bool
	// AdoptGrace, if set, is how long a server on PostgreSQL (the run's
	// own, or each process's --adopt-grace) waits before taking over the
	// texts of a key seen free; the store's default otherwise
	// (store/postgres/adopt.go).
	AdoptGrace time.Duration
	Log        zerolog.Logger
}

// poolPerSecond is how many contacts a run seeds for each second of it:
// a pool that runs dry ends the volunteers' sending early and caps the
// rate the run reports (a 10 s run with 20,000 contacts read 2,000/s).
const poolPerSecond = 8000

// drainStall is how long the backlog left at the end of a run may stop
// falling before what is left counts as lost: a dead server's texts, and
// those a server's ended lease left (a cut connection), are taken over
// once their key has been free for 40 s, at looks every 5 s
// (store/postgres/adopt.go); drainMost bounds the whole wait.
const (
	drainStall = 75 * time.Second
	drainMost  = 15 * time.Minute
)

// maxContacts bounds a run's pool (seeding 100,000 takes about a second).
const maxContacts = 5_000_000

// Latency is what one kind of request took.
type Latency struct {
	Count  int     `json:"count"`
	PerSec float64 `json:"perSecond"`
	P50Ms  float64 `json:"p50Ms"`
	P99Ms  float64 `json:"p99Ms"`
}

// Report is a run's outcome.
type Report struct {
	Engine     string  `json:"engine"`
	Volunteers int     `json:"volunteers"`
	Seconds    float64 `json:"seconds"`
	Sends      Latency `json:"sends"` // accepted first texts
	Rejected   int     `json:"rejected"`
	// Failed counts requests (sends, syncs, replies) that got no usable
	// answer from any server; FirstError names the first.
	Failed      int     `json:"failed"`
	FirstError  string  `json:"firstError,omitempty"`
	Syncs       Latency `json:"syncs"`
	Inbound     Latency `json:"inbound"` // distinct replies delivered
	BaselinePer float64 `json:"baselinePerSecond"`
	// Lost: accepted texts the network never got or the database does not
	// show sent, and delivered replies not stored. Duplicated: texts the
	// network got more than once, replies stored more than once.
	Lost       int `json:"lost"`
	Duplicated int `json:"duplicated"`
	// DuplicatesUnchecked: the network's side was not read (a --target
	// that keeps no simulated network's journal), so Duplicated and
	// Unaccepted say nothing; the summary reads duplicated=unchecked.
	DuplicatesUnchecked bool `json:"duplicatesUnchecked,omitempty"`
	// Unsettled: accepted texts still queued or sending when the
	// dispatcher was given up on (counted in Lost too).
	Unsettled int `json:"unsettled"`
	// Unaccepted: texts the network got that no volunteer was told were
	// accepted (a server that sends what it did not accept).
	Unaccepted int `json:"unaccepted"`
	// Dangling: threads, messages, mutations and feed rows that point at
	// a row that is not there (store.DanglingSQL).
	Dangling int `json:"dangling"`
	// Servers is how many servers ran; Killed says one was SIGKILLed
	// halfway, FailedOver how many requests then moved to another server.
	Servers    int  `json:"servers"`
	Killed     bool `json:"killed"`
	FailedOver int  `json:"failedOver"`
	// OutOfContacts: volunteers who stopped before the end because the
	// pool was empty; then sends per second is a lower bound.
	OutOfContacts int `json:"outOfContacts"`
	// OrphanedAtKill: texts the killed server left sending (claimed, the
	// provider maybe called), which a survivor had to settle; -1 if they
	// could not be counted.
	OrphanedAtKill int `json:"orphanedAtKill"`
	// Checked says what the checks read.
	Checked string `json:"checked"`
	// LeftCampaign, for a run on a database that outlives it (--target,
	// --db), names the campaign the run seeded there and leaves behind.
	LeftCampaign string `json:"leftCampaign,omitempty"`
}

// OK says nothing was lost, doubled or sent unasked, and no row points at
// nothing.
func (r Report) OK() bool {
	return r.Lost == 0 && r.Duplicated == 0 && r.Unaccepted == 0 && r.Dangling == 0
}

// Summary is the report's last line.
func (r Report) Summary() string {
	dup := strconv.Itoa(r.Duplicated)
	if r.DuplicatesUnchecked {
		dup = "unchecked"
	}
	return fmt.Sprintf("loadtest: engine=%s volunteers=%d sends=%d sends_per_s=%.0f baseline_per_s=%.0f inbound=%d lost=%d duplicated=%s",
		r.Engine, r.Volunteers, r.Sends.Count, r.Sends.PerSec, r.BaselinePer, r.Inbound.Count, r.Lost, dup)
}

// Run runs one load test.
func Run(ctx context.Context, o Options) (Report, error) {
	if err := o.defaults(); err != nil {
		return Report{}, err
	}
	rep := Report{Engine: "sqlite", Volunteers: o.Volunteers}
	if isPostgres(o.DB) {
		rep.Engine = "postgres"
	}
	tmp, err := os.MkdirTemp("", "textbank-loadtest-")
	if err != nil {
		return rep, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	env, err := start(ctx, o, tmp)
	if err != nil {
		return rep, err
	}
	defer env.close()
	// Server processes hash sign-ups' passwords at full cost; the run
	// measures texting, so their volunteers' accounts are seeded (at the
	// lowest cost) and they log in.
	accounts := 0
	if o.Servers > 0 {
		accounts = o.Volunteers
	}
	seed, err := seedCampaign(ctx, env.st, o.Contacts, accounts)
	if err != nil {
		return rep, err
	}
	env.action = seed.action
	rep.LeftCampaign = leftCampaign(o, env, seed)
	if isPostgres(o.DB) {
		if err := settle(ctx, o.DB); err != nil {
			return rep, err
		}
	}
	o.Log.Info().Strs("urls", env.urls).Int("contacts", o.Contacts).Int("volunteers", o.Volunteers).Msg("loadtest: seeded; volunteers joining")
	vols, err := joinVolunteers(ctx, env.urls, seed, o.Volunteers)
	if err != nil {
		return rep, err
	}

	stats := newRecorder()
	start := time.Now()
	deadline := start.Add(o.Duration)
	var wg sync.WaitGroup
	for _, v := range vols {
		wg.Add(1)
		go as(roleVolunteers, func() { defer wg.Done(); v.run(ctx, deadline, seed.action, stats) })
	}
	var in *inbound
	if env.receiver != nil && o.InboundRate > 0 {
		in = &inbound{rcv: env.receiver, texted: env.texted, rate: o.InboundRate, stats: stats, prefix: replyPrefix(seed.run)}
		wg.Add(1)
		go as(roleNetwork, func() { defer wg.Done(); in.run(ctx, deadline) })
	}
	rep.Servers = max(1, o.Servers)
	if o.KillOne {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(o.Duration / 2):
			case <-ctx.Done():
				return
			}
			o.Log.Info().Str("url", env.procs[0].url).Msg("loadtest: killing a server (SIGKILL)")
			if err := env.procs[0].kill(); err != nil {
				stats.fail(kindSend, err)
				return
			}
			rep.Killed = true
			rep.OrphanedAtKill = orphaned(ctx, o.DB)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	rep.Seconds = elapsed.Seconds()
	rep.Sends = stats.latency(kindSend, elapsed)
	rep.Syncs = stats.latency(kindSync, elapsed)
	rep.Inbound = stats.latency(kindInbound, elapsed)
	rep.Rejected = stats.rejectedCount()
	rep.Failed, rep.FirstError = stats.failures()
	for _, v := range vols {
		rep.FailedOver += v.failedOver
		if v.outOfContacts {
			rep.OutOfContacts++
		}
	}
	for _, p := range env.procs {
		if err := p.exitedEarly(); err != nil {
			return rep, err
		}
	}
	o.Log.Info().Int("accepted", rep.Sends.Count).Msg("loadtest: volunteers done; waiting for the dispatcher")

	unsettled, err := env.drain(ctx, drainStall, drainMost)
	if err != nil {
		return rep, err
	}
	rep.Unsettled = unsettled
	if err := env.check(ctx, &rep, stats, in); err != nil {
		return rep, err
	}
	env.close()

	rep.BaselinePer, err = baseline(ctx, tmp, o.Volunteers, o.Baseline)
	if err != nil {
		return rep, err
	}
	return rep, nil
}

func (o *Options) defaults() error {
	switch {
	case o.Volunteers < 1 || o.Volunteers > 5000:
		return fmt.Errorf("--volunteers must be 1 to 5000, not %d", o.Volunteers)
	case o.InboundRate < 0 || o.InboundRate > 100000:
		return fmt.Errorf("--inbound-rate must be 0 to 100000 replies a second, not %d", o.InboundRate)
	case o.Duration < 100*time.Millisecond || o.Duration > 24*time.Hour:
		return fmt.Errorf("--duration must be 100ms to 24h, not %s", o.Duration)
	case o.Contacts < 0 || o.Contacts > maxContacts:
		return fmt.Errorf("--contacts must be 0 (as many as the run needs) to %d, not %d", maxContacts, o.Contacts)
	}
	if o.Servers < 0 || o.Servers > 16 {
		return fmt.Errorf("--servers must be 0 (a server in this process) to 16, not %d", o.Servers)
	}
	if o.Servers > 0 {
		switch {
		case !isPostgres(o.DB):
			//lint:ignore ST1005 the closing ... stands for the rest of the URL, not the end of a sentence
			return errors.New("--servers runs textbankd processes that share one database: give --db postgres://...")
		case o.Target != "":
			return errors.New("--servers starts its own servers; it does not go with --target")
		case o.Binary == "":
			return errNoBinary
		}
	}
	if o.KillOne && o.Servers < 2 {
		return errors.New("--kill-one needs --servers 2 or more: someone must survive")
	}
	if o.Target != "" {
		if err := loopback(o.Target); err != nil {
			return err
		}
		if o.Data == "" {
			return errors.New("--target needs --data, the target server's data directory: the checks read its database")
		}
		if o.DB != "" && !isPostgres(o.DB) {
			return errors.New("with --target, --db names the target's PostgreSQL database (postgres://...); a target on SQLite keeps its database in --data")
		}
		if o.InboundRate > 0 {
			// The simulated network runs inside the target: it alone
			// can deliver replies.
			return fmt.Errorf("--inbound-rate %d with --target: the target gets no inbound, since its simulated network runs inside it, out of the driver's reach; leave out --inbound-rate", o.InboundRate)
		}
	}
	if o.Contacts == 0 {
		o.Contacts = max(100*o.Volunteers, min(int(o.Duration.Seconds()*poolPerSecond), maxContacts), 20000)
	}
	if o.Baseline == 0 {
		o.Baseline = min(o.Duration, 5*time.Second)
	}
	return nil
}

// loopback refuses a target that is not on this machine: a load test
// against someone else's server is an attack.
func loopback(target string) error {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--target %q: want a URL such as http://127.0.0.1:8787", target)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--target %q: the load test runs against this machine only (127.0.0.1, ::1 or localhost)", target)
	}
	return nil
}

// newID is a UUIDv7, as the app makes them.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// isPostgres says whether a --db names a PostgreSQL database (else it is a
// SQLite file).
func isPostgres(db string) bool { return postgres.IsURL(db) }
