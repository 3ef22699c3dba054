package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// shutdownGrace bounds how long in-flight requests may finish on SIGTERM.
const shutdownGrace = 10 * time.Second

func serve(ctx context.Context, cfg serveConfig, log zerolog.Logger) error {
	if cfg.demo && cfg.texts.provider != "twilio" {
		return serveDemo(ctx, cfg, log)
	}
	st, err := openDB(ctx, cfg.db, cfg.data, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.demo {
		// The demo campaign, texted for real through Twilio.
		if _, err := demo.Seed(ctx, st, time.Now()); err != nil {
			return err
		}
	}
	ph, err := newPhones(cfg.texts, cfg.data, log)
	if err != nil {
		return err
	}
	defer ph.close()
	srv, err := server.New(server.Config{Store: st, Provider: ph.provider, Log: log, Workers: cfg.texts.workers, Version: version})
	if err != nil {
		return err
	}
	if ph.sim != nil {
		ph.sim.Attach(srv)
	}
	handler := srv.Handler()
	if ph.webhooks != nil {
		mux := http.NewServeMux()
		mux.Handle("/webhooks/twilio/", ph.webhooks(srv, srv))
		mux.Handle("/", handler)
		handler = mux
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.Close)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	go srv.RunArchiver(ctx, time.Hour)
	// The organizer commands write the same database from another process.
	go srv.WatchFeed(ctx, time.Second)
	dispatched := make(chan struct{})
	go func() { srv.RunDispatcher(ctx); close(dispatched) }()
	ev := log.Info().Str("addr", ln.Addr().String()).Str("data", cfg.data).Str("provider", cfg.texts.provider)
	if cfg.db != "" {
		ev = ev.Str("db", redactURL(cfg.db))
	}
	if cfg.texts.provider == "" {
		ev.Msg("textbankd serving (no SMS provider configured: texts will fail; use --provider twilio)")
	} else {
		ev.Msg("textbankd serving")
	}

	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info().Msg("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	<-dispatched
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func serveDemo(ctx context.Context, cfg serveConfig, log zerolog.Logger) error {
	inst, err := demo.Start(ctx, demo.Options{Dir: cfg.data, Addr: cfg.addr, Log: log, Network: simnet.DefaultConfig(), Version: version})
	if err != nil {
		return err
	}
	log.Info().Str("url", inst.URL).Str("join_code", inst.Info.JoinCode).
		Str("volunteer", inst.Info.VolunteerEmail).
		Msg("demo mode: sign in as the demo volunteer and join with the code")
	<-ctx.Done()
	log.Info().Msg("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return inst.Close(sctx)
}

// noProvider refuses every text until a real provider is configured, so a
// send fails visibly (the message shows failed) instead of vanishing.
type noProvider struct{}

func (noProvider) Send(context.Context, sms.Outbound) (string, error) {
	return "", errors.New("no SMS provider configured: run textbankd serve --demo for the simulated network")
}

func (noProvider) Lookup(context.Context, sms.Outbound, time.Time) ([]sms.Sent, error) {
	return nil, nil
}
