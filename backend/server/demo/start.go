package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// DBFile is the SQLite file's name inside Options.Dir.
const DBFile = "textbank.db"

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

	http   *http.Server
	served chan error
	stop   context.CancelFunc
	// background counts the dispatcher and the feed watcher: Close waits
	// for them before it closes the store they read.
	background sync.WaitGroup
}

// Start opens (or reuses) the demo database in opts.Dir, seeds it, wires the
// simulated network to a campaign server and serves it on opts.Addr.
func Start(ctx context.Context, opts Options) (*Instance, error) {
	if opts.Dir == "" {
		return nil, errors.New("demo: Options.Dir is required")
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
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
	info, err := Seed(ctx, st, now())
	if err != nil {
		st.Close()
		return nil, err
	}
	netw := simnet.New(networkConfig(opts.Network), opts.Log.With().Str("component", "simnet").Logger())
	srv, err := server.New(server.Config{Store: st, Provider: netw, Now: opts.Now, Log: opts.Log, BcryptCost: opts.BcryptCost, Version: opts.Version})
	if err != nil {
		netw.Close()
		st.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	netw.Attach(srv)
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		netw.Close()
		st.Close()
		return nil, fmt.Errorf("demo: listen on %s: %w", opts.Addr, err)
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.Close)
	inst := &Instance{
		URL: "http://" + ln.Addr().String(), Info: info, Server: srv, Network: netw, Store: st,
		http: hs, served: make(chan error, 1), stop: stop,
	}
	go func() { inst.served <- hs.Serve(ln) }()
	go srv.RunArchiver(runCtx, time.Hour)
	if opts.FeedWatch <= 0 {
		opts.FeedWatch = time.Second
	}
	// Organizer commands run against the demo's --data write from another
	// process; the watcher shows their changes to open apps at once, as
	// under serve.
	inst.background.Go(func() { srv.WatchFeed(runCtx, opts.FeedWatch) })
	inst.background.Go(func() { srv.RunDispatcher(runCtx) })
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
	i.stop()
	i.background.Wait()
	err := i.http.Shutdown(ctx)
	if serr := <-i.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	i.Network.Close()
	return errors.Join(err, i.Store.Close())
}
