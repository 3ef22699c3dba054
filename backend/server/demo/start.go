// Package demo runs an embeddable demo server: the demo campaign
// (backend/server/democampaign) on SQLite in a directory, texted through the
// simulated phone network, served by server.Run. The desktop app's --demo
// and many tests start it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/democampaign"
	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// DBFile is the SQLite file's name inside Options.Dir.
const DBFile = store.FileName

// Options configure Start.
type Options struct {
	// Dir holds the SQLite file; created if missing. Required.
	Dir string
	// Addr to listen on; "127.0.0.1:0" (any free port) if empty.
	Addr string
	Log  zerolog.Logger
	// Network configures the simulated phone network. The zero value means
	// simnet.DefaultConfig(); a Config with delays but no Mix gets the
	// default Mix. Tests set MaxDelay 0 and a Mix for instant replies.
	Network simnet.Config
	// Now is the server's clock; time.Now if nil.
	Now func() time.Time
	// BcryptCost for new passwords; bcrypt's default if zero.
	BcryptCost int
	// FeedWatch is how often the server looks for changes organizer
	// commands made to Dir's database from another process; 1s if zero.
	FeedWatch time.Duration
	// Version is what GET /healthz reports; "dev" if empty.
	Version string
}

// Instance is a running demo server.
type Instance struct {
	URL     string // "http://127.0.0.1:PORT"
	Info    Info
	Server  *server.Server
	Network *simnet.Network
	Store   store.Store

	running   *server.Running
	closeDoor func() // removes the simulated network's door (simdoor.Open)
}

// Start opens (or reuses) the demo database in opts.Dir, seeds it, wires the
// simulated network to a campaign server and serves it on opts.Addr.
func Start(ctx context.Context, opts Options) (*Instance, error) {
	if opts.Dir == "" {
		return nil, errors.New("demo: Options.Dir is required")
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo: create data dir: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(opts.Dir, DBFile))
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	info, err := democampaign.Seed(ctx, st, now())
	if err != nil {
		st.Close()
		return nil, err
	}
	netw := simnet.New(networkConfig(opts.Network), opts.Log.With().Str("component", "simnet").Logger())
	// textbankd sim text --data opts.Dir hands this server a text an
	// organizer chooses, as it does a serve --demo's.
	door, doorKey := simdoor.NewHandler(netw, st, opts.Log)
	run, err := server.Run(ctx, server.RunOptions{
		Config: server.Config{Store: st, Provider: netw, Now: opts.Now, Log: opts.Log, BcryptCost: opts.BcryptCost, Version: opts.Version, Simulated: true},
		Addr:   opts.Addr,
		// Organizer commands run against the demo's --data write from
		// another process; the watcher shows their changes to open apps
		// at once, as under serve.
		FeedWatch: opts.FeedWatch,
		Attach:    func(s *server.Server) { netw.Attach(s) },
		Mount:     func(_ *server.Server, mux *http.ServeMux) { mux.Handle(simdoor.Path, door) },
	})
	if err != nil {
		netw.Close()
		st.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	inst := &Instance{URL: run.URL, Info: info, Server: run.Server, Network: netw, Store: st, running: run, closeDoor: func() {}}
	// Without its door the demo runs on: sim text says none is open.
	if closeDoor, err := simdoor.Open(opts.Dir, run.Addr, doorKey); err != nil {
		opts.Log.Warn().Err(err).Msg("textbankd sim text cannot reach the demo server")
	} else {
		inst.closeDoor = closeDoor
	}
	opts.Log.Info().Str("url", inst.URL).Str("join_code", info.JoinCode).Msg("demo campaign server ready")
	return inst, nil
}

func networkConfig(c simnet.Config) simnet.Config {
	if c.Mix == nil && c.MinDelay == 0 && c.MaxDelay == 0 && c.Seed == 0 {
		return simnet.DefaultConfig()
	}
	if c.Mix == nil {
		c.Mix = simnet.DefaultConfig().Mix
	}
	return c
}

// Close stops serving (ending open event streams), then the network and
// the store.
func (i *Instance) Close(ctx context.Context) error {
	i.closeDoor()
	err := i.running.Close(ctx)
	i.Network.Close()
	return errors.Join(err, i.Store.Close())
}
