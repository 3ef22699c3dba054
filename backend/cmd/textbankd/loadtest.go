package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/loadtest"
)

// loadOpts are loadtest's flags.
type loadOpts struct {
	volunteers, inboundRate int
	contacts                int
	duration                time.Duration
	target                  string
	servers                 int
	killOne                 bool
	serverBin               string
	adoptGrace              time.Duration
	targetNotProduction     bool
}

func loadtestCommands() []command {
	return []command{
		{name: "loadtest", noStore: true, ownStore: true,
			summary: "drive a server on this machine as N volunteers' apps with M inbound replies a second, then check that no text was lost or sent twice (its own server and SQLite file unless --target)",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.IntVar(&o.load.volunteers, "volunteers", 200, "simulated volunteers (TEXTBANK_VOLUNTEERS)")
				fs.StringVar(&o.db, "db", "", "the database of the run's own server: a SQLite FILE (kept after the run; a temporary one if empty) or postgres://USER@HOST:PORT/DB (password in PGPASSWORD or ~/.pgpass); with --target, the target's PostgreSQL database, if it runs on one (TEXTBANK_LOADTEST_DB: never TEXTBANK_DB, which names the campaign's own database for every other command)")
				fs.StringVar(&o.data, "data", "", "with --target only: the target's --data directory, where the checks read its SQLite database (unless --db) and its simulated network's journal (TEXTBANK_DATA)")
				fs.IntVar(&o.load.inboundRate, "inbound-rate", 500, "inbound replies a second from the simulated network; none with --target, whose network is inside the target (TEXTBANK_INBOUND_RATE)")
				fs.DurationVar(&o.load.duration, "duration", time.Minute, "how long the volunteers send (TEXTBANK_DURATION)")
				fs.IntVar(&o.load.contacts, "contacts", 0, "contacts to seed; 0: 100 a volunteer and 8,000 a second of --duration, at least 20,000 (TEXTBANK_CONTACTS)")
				fs.StringVar(&o.load.target, "target", "", "URL of a textbankd serve --provider sim already serving on this machine instead; the run seeds a campaign of --contacts contacts (fictional 555-01xx numbers) in its database and LEAVES IT THERE; the checks read that database (in its --data, or its --db postgres://...) and its network's journal in --data; it gets no inbound (TEXTBANK_TARGET)")
				fs.BoolVar(&o.load.targetNotProduction, "target-is-not-production", false, "let --target be a server that does not run --provider sim (its /healthz says so): your word that it is a test server, whose database may keep the run's campaign and whose provider sends the run's texts; its duplicates are then not counted (duplicated=unchecked) (TEXTBANK_TARGET_IS_NOT_PRODUCTION)")
				fs.IntVar(&o.load.servers, "servers", 0, "start this many textbankd serve processes on the --db postgres:// database, volunteers spread over them, instead of one server inside the load test (TEXTBANK_SERVERS)")
				fs.BoolVar(&o.load.killOne, "kill-one", false, "SIGKILL the first of the --servers halfway through; its volunteers move to the others (TEXTBANK_KILL_ONE)")
				fs.StringVar(&o.load.serverBin, "server-bin", "", "the textbankd binary --servers starts; this one if empty (TEXTBANK_SERVER_BIN)")
				fs.DurationVar(&o.load.adoptGrace, "adopt-grace", 0, "with --db: the servers' --adopt-grace (textbankd serve); 0: theirs (TEXTBANK_ADOPT_GRACE)")
				// Not TEXTBANK_DB: exported for the organizer commands, it
				// names the campaign's real database, which a run would fill
				// with its own campaign.
				return map[string]string{"db": "TEXTBANK_LOADTEST_DB", "data": "TEXTBANK_DATA", "volunteers": "TEXTBANK_VOLUNTEERS", "inbound-rate": "TEXTBANK_INBOUND_RATE", "contacts": "TEXTBANK_CONTACTS",
					"duration": "TEXTBANK_DURATION", "target": "TEXTBANK_TARGET", "servers": "TEXTBANK_SERVERS",
					"kill-one": "TEXTBANK_KILL_ONE", "server-bin": "TEXTBANK_SERVER_BIN", "adopt-grace": "TEXTBANK_ADOPT_GRACE",
					"target-is-not-production": "TEXTBANK_TARGET_IS_NOT_PRODUCTION"}
			},
			run: runLoadtest},
	}
}

func runLoadtest(ctx context.Context, c *cli, _ []string) error {
	o := c.opts.load
	opts := loadtest.Options{Volunteers: o.volunteers, InboundRate: o.inboundRate, Duration: o.duration, Contacts: o.contacts, DB: c.opts.db,
		Target: o.target, TargetNotProduction: o.targetNotProduction, Log: zerolog.New(zerolog.ConsoleWriter{Out: c.stderr, NoColor: true}).Level(zerolog.InfoLevel).With().Timestamp().Logger()}
	if o.target == "" && c.set["data"] && c.getenv("TEXTBANK_DATA") != c.opts.data {
		// It would be ignored: the run's own server keeps its database in
		// a temporary directory (or --db), never in a --data. Only the
		// flag is refused: TEXTBANK_DATA is what organizers export for
		// every other command (ORGANIZER.md), so it is ignored here.
		return fmt.Errorf("--data %s names the --target server's data directory, and there is no --target: without one the load test runs its own server on a temporary SQLite file (or --db FILE); leave out --data, or give --target", c.opts.data)
	}
	if o.target != "" {
		opts.Data = c.opts.data
		if !c.set["inbound-rate"] {
			opts.InboundRate = 0 // the target's network is inside it
		}
	}
	if err := checkAdoptGrace(o.adoptGrace, c.opts.db); err != nil {
		return err
	}
	opts.Servers, opts.KillOne, opts.Binary, opts.AdoptGrace = o.servers, o.killOne, o.serverBin, o.adoptGrace
	if o.servers > 0 && opts.Binary == "" {
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("--servers: find this textbankd binary (pass --server-bin): %w", err)
		}
		opts.Binary = self
	}
	rep, err := loadtest.Run(ctx, opts)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(struct {
			loadtest.Report
			Summary string `json:"summary"`
		}{rep, rep.Summary()})
	} else {
		w := c.stdout
		line := func(what string, l loadtest.Latency) {
			fmt.Fprintf(w, "%-8s %8d  %8.0f/s  p50 %7.2f ms  p99 %7.2f ms\n", what, l.Count, l.PerSec, l.P50Ms, l.P99Ms)
		}
		fmt.Fprintf(w, "%d volunteers for %.1f s (%d sends rejected)\n", rep.Volunteers, rep.Seconds, rep.Rejected)
		if rep.Failed > 0 {
			fmt.Fprintf(w, "%d requests got no usable answer; the first: %s\n", rep.Failed, rep.FirstError)
		}
		if rep.Servers > 1 {
			killed := ""
			if rep.Killed {
				killed = fmt.Sprintf(", one SIGKILLed halfway with %d texts mid-send", rep.OrphanedAtKill)
			}
			fmt.Fprintf(w, "%d servers on one database%s; %d requests failed over to another server\n", rep.Servers, killed, rep.FailedOver)
		}
		if rep.OutOfContacts > 0 {
			fmt.Fprintf(w, "%d volunteers ran out of contacts before the end: the sends per second below is a lower bound (seed more with --contacts)\n", rep.OutOfContacts)
		}
		line("sends", rep.Sends)
		line("syncs", rep.Syncs)
		line("inbound", rep.Inbound)
		fmt.Fprintf(w, "baseline %8.0f/s  (bare net/http + one SQLite insert per request, same run)\n", rep.BaselinePer)
		fmt.Fprintf(w, "checked: %s\n", rep.Checked)
		if rep.LeftCampaign != "" {
			fmt.Fprintln(w, rep.LeftCampaign)
		}
		fmt.Fprintln(w, rep.Summary())
	}
	if !rep.OK() {
		return fmt.Errorf("%d lost and %d duplicated (%d texts never left the queue), %d sent that no volunteer was told were accepted, %d rows that point at nothing",
			rep.Lost, rep.Duplicated, rep.Unsettled, rep.Unaccepted, rep.Dangling)
	}
	return nil
}
