package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// RunOptions are a Server's Config and how to serve it.
type RunOptions struct {
	Config
	// Addr to listen on; "127.0.0.1:0" (any free port) if empty.
	Addr string
	// Listener, if set, is served instead of listening on Addr, and is
	// Run's to close from then on, on failure too: textbankd serve listens
	// (Listen) before it makes its data directory, so that a port already
	// taken leaves nothing behind.
	Listener net.Listener
	// Attach, if set, is called with the built server before it serves:
	// the simulated network delivers its replies to it.
	Attach func(*Server)
	// Mount, if set, adds handlers beside the API, such as the provider's
	// webhooks (which need the server as their receiver).
	Mount func(s *Server, mux *http.ServeMux)
	// ArchiveEvery spaces the runs of the two-month archiver; 1h if zero.
	ArchiveEvery time.Duration
	// FeedWatch is how often the server looks for changes another process
	// (an organizer command) wrote to the database; 1s if zero.
	FeedWatch time.Duration
}

// Running is a server serving HTTP with its background work (dispatcher,
// archiver, feed watcher, and on PostgreSQL the analyzer of grown tables).
type Running struct {
	Addr   string // the listener's address, host:port
	URL    string // "http://" + Addr
	Server *Server

	http   *http.Server
	served chan error
	failed chan error
	stop   context.CancelFunc
	// background counts the dispatcher, archiver, feed watcher and
	// analyzer (RunBackground): Close waits for them before it returns, so
	// the caller may close the store.
	background *sync.WaitGroup
	// closed makes Close safe to call again (a test's cleanup after the
	// test stopped it): the second call returns the first's answer.
	closed   sync.Once
	closeErr error
}

// Run builds the server of o.Config, listens on o.Addr and serves it with
// its background work until Close. textbankd serve and the demo both start
// their server here. The store stays the caller's to close, after Close.
func Run(ctx context.Context, o RunOptions) (*Running, error) {
	srv, err := New(o.Config)
	if err != nil {
		if o.Listener != nil {
			o.Listener.Close()
		}
		return nil, err
	}
	if o.Attach != nil {
		o.Attach(srv)
	}
	handler := srv.Handler()
	if o.Mount != nil {
		mux := http.NewServeMux()
		o.Mount(srv, mux)
		mux.Handle("/", handler)
		handler = mux
	}
	ln := o.Listener
	if ln == nil {
		if ln, err = Listen(o.Addr); err != nil {
			srv.Close()
			return nil, err
		}
	}
	ln = srv.limitConns(ln)
	if o.ArchiveEvery <= 0 {
		o.ArchiveEvery = time.Hour
	}
	if o.FeedWatch <= 0 {
		o.FeedWatch = time.Second
	}
	// Background work outlives a cancelled ctx only until Close: the
	// dispatcher finishes the texts it holds.
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	hs := httpServer(handler)
	hs.RegisterOnShutdown(srv.Close)
	r := &Running{Addr: ln.Addr().String(), URL: "http://" + ln.Addr().String(), Server: srv, http: hs,
		served: make(chan error, 1), failed: make(chan error, 1), stop: stop}
	go func() {
		err := hs.Serve(ln)
		if !errors.Is(err, http.ErrServerClosed) {
			r.failed <- fmt.Errorf("http server: %w", err)
		}
		r.served <- err
	}()
	r.background = srv.RunBackground(runCtx, o.ArchiveEvery, o.FeedWatch)
	return r, nil
}

// Listen listens on addr ("127.0.0.1:0", any free port, if empty) for
// Run.
func Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// RunBackground starts the server's background work until ctx ends: the
// dispatcher, the archiver (every archiveEvery), the feed watcher (every
// feedWatch: the organizer commands write the same database from another
// process), the housekeeping (housekeeping.go: the guess limiters swept
// every minute, ended sign-ins deleted every hour), the feed's compactor
// (every feedCompactEvery) and, on PostgreSQL, the analyzer of grown tables. Its Wait
// returns once all of them have stopped. Run starts them so; the load
// driver, which serves the handler itself, too.
func (s *Server) RunBackground(ctx context.Context, archiveEvery, feedWatch time.Duration) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() { s.RunArchiver(ctx, archiveEvery) })
	wg.Go(func() { s.WatchFeed(ctx, feedWatch) })
	wg.Go(func() { s.RunDispatcher(ctx) })
	wg.Go(func() { s.RunAnalyzer(ctx) })
	wg.Go(func() { s.sweepLimiters(ctx, guessSweepEvery) })
	wg.Go(func() { s.purgeEndedTokens(ctx, tokenPurgeEvery) })
	wg.Go(func() { s.RunFeedCompactor(ctx, feedCompactEvery) })
	return &wg
}

// Failed delivers the error of an HTTP server that stopped by itself.
func (r *Running) Failed() <-chan error { return r.failed }

// Close stops the background work (the dispatcher finishes the provider
// calls it has started), then stops serving, ending open event streams and
// waiting for requests in flight until ctx is done.
// A second call returns the first's answer instead of waiting forever for
// a server that already stopped.
func (r *Running) Close(ctx context.Context) error {
	r.closed.Do(func() {
		r.stop()
		r.background.Wait()
		err := r.http.Shutdown(ctx)
		if serr := <-r.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		r.closeErr = err
	})
	return r.closeErr
}

// httpServer serves handler with time limits on reading requests: 10 s for
// the headers and 30 s for the whole request. Without the second, a client
// that sent headers and then held back its body held a connection and a
// goroutine for as long as it liked (an early answer, a 401 say, waits for
// the unread body to drain before it is sent). The event stream, the one
// request that stays open, is not cut by it: its request was read whole
// (TestReadTimeoutCutsSlowBodiesNotStreams). Idle keep-alive connections
// close after 5 minutes, not the read timeout's 30 s (Go's default): longer
// than Go clients keep them (90 s), so a client is never the one racing
// the server's close with a POST it may not send again. Headers are held
// to maxHeaderBytes (Go's default is 1 MiB): the app's are a few hundred
// bytes, and each connection still sending its headers holds what it sent
// for up to the 10 s.
//
// A connection the listener took in the webhooks' reserve (connreserve.go)
// is served a webhook's request only.
func httpServer(handler http.Handler) *http.Server {
	return &http.Server{Handler: reserveForWebhooks(handler), ConnContext: connContext, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: 5 * time.Minute, MaxHeaderBytes: maxHeaderBytes}
}

// maxHeaderBytes bounds a request's headers; more is answered 431.
const maxHeaderBytes = 64 << 10
