// Command textbank is the Textbank desktop app for volunteers.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"github.com/textbank/textbank/app"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

//go:embed all:frontend/dist
var assets embed.FS

type flags struct {
	demo     bool
	server   string
	dataDir  string
	logLevel string
}

func parseFlags(args []string) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("textbank", flag.ContinueOnError)
	fs.BoolVar(&f.demo, "demo", false, "run with an embedded demo campaign server and simulated contacts")
	fs.StringVar(&f.server, "server", envOr("TEXTBANK_SERVER", ""), "campaign server URL, e.g. https://textbank.example.org (env TEXTBANK_SERVER)")
	fs.StringVar(&f.dataDir, "data", envOr("TEXTBANK_DATA", ""), "where the local cache lives (default: your config dir; env TEXTBANK_DATA)")
	fs.StringVar(&f.logLevel, "log-level", envOr("TEXTBANK_LOG_LEVEL", "info"), "debug, info, warn or error (env TEXTBANK_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if f.demo && f.server != "" {
		return f, fmt.Errorf("--demo and --server cannot be used together: demo mode runs its own server")
	}
	if !f.demo && f.server == "" {
		f.server = "http://127.0.0.1:8787"
	}
	return f, nil
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func main() {
	f, err := parseFlags(os.Args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			return
		}
		fmt.Fprintln(os.Stderr, "textbank:", err)
		os.Exit(2)
	}
	if err := run(f); err != nil {
		fmt.Fprintln(os.Stderr, "textbank:", err)
		os.Exit(1)
	}
}

func run(f flags) error {
	if generatingBindings {
		// Wails only inspects the bound services here; nothing may start.
		return wails.Run(&options.App{Title: "Textbank", Bind: services(app.NewCore(nil, zerolog.Nop()))})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dataDir, err := resolveDataDir(f)
	if err != nil {
		return err
	}
	if f.demo {
		// A demo starts clean every time and leaves nothing behind.
		defer os.RemoveAll(dataDir)
	}
	log, closeLog, err := app.NewLogger(dataDir, f.logLevel)
	if err != nil {
		return err
	}
	defer closeLog()

	serverURL := f.server
	var demoInfo *demo.Info
	var demoJoinCode string
	if f.demo {
		inst, err := demo.Start(ctx, demo.Options{
			Dir:     filepath.Join(dataDir, "server"),
			Addr:    "127.0.0.1:0",
			Log:     log.With().Str("component", "demo-server").Logger(),
			Network: simnet.DefaultConfig(),
		})
		if err != nil {
			return fmt.Errorf("start demo server: %w", err)
		}
		defer func() {
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := inst.Close(shutdownCtx); err != nil {
				log.Warn().Err(err).Msg("stop demo server")
			}
		}()
		serverURL = inst.URL
		demoInfo = &inst.Info
		demoJoinCode = inst.Info.JoinCode
		log.Info().Str("url", inst.URL).Str("join_code", inst.Info.JoinCode).Msg("demo campaign server running")
	}

	var core *app.Core
	c, err := client.New(client.Config{
		DataDir:      filepath.Join(dataDir, "app"),
		ServerURL:    serverURL,
		Demo:         f.demo,
		DemoJoinCode: demoJoinCode,
		Log:          log.With().Str("component", "client").Logger(),
		Notify: func(ev client.Event) {
			if core != nil {
				core.Forward(ev)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("set up client: %w", err)
	}
	core = app.NewCore(c, log)
	if err := c.Start(ctx); err != nil {
		return fmt.Errorf("start client: %w", err)
	}
	if demoInfo != nil {
		if _, err := c.SignIn(ctx, demoInfo.VolunteerEmail, demoInfo.VolunteerPassword); err != nil {
			return fmt.Errorf("sign in the demo volunteer: %w", err)
		}
	}

	// A SIGTERM or Ctrl-C closes the window the same way the close button
	// does, so the outbox and cache are shut down cleanly.
	go func() {
		<-ctx.Done()
		core.Quit()
	}()

	title := "Textbank"
	if f.demo {
		title = "Textbank (demo)"
	}
	return wails.Run(&options.App{
		Title:     title,
		Width:     1200,
		Height:    780,
		MinWidth:  900,
		MinHeight: 560,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour:   &options.RGBA{R: 250, G: 250, B: 252, A: 1},
		OnStartup:          core.Startup,
		OnShutdown:         core.Shutdown,
		Bind:               services(core),
		SingleInstanceLock: singleInstance(f),
		Logger:             app.WailsLogger(log),
		LogLevel:           app.WailsLogLevel(f.logLevel),
		LogLevelProduction: app.WailsLogLevel(f.logLevel),
	})
}

// resolveDataDir picks where the cache and logs live: the user's own config
// dir (readable by them alone), or a fresh temporary dir in demo mode.
func resolveDataDir(f flags) (string, error) {
	if f.demo {
		dir, err := os.MkdirTemp("", "textbank-demo-")
		if err != nil {
			return "", fmt.Errorf("create demo dir: %w", err)
		}
		return dir, nil
	}
	dir := f.dataDir
	if dir == "" {
		cfg, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find your config dir (set --data): %w", err)
		}
		dir = filepath.Join(cfg, "Textbank")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create data dir %s: %w", dir, err)
	}
	return dir, nil
}

// singleInstance keeps one window per data dir: a second start focuses the
// first. Demo runs are independent and may run side by side.
func singleInstance(f flags) *options.SingleInstanceLock {
	if f.demo {
		return nil
	}
	return &options.SingleInstanceLock{UniqueId: "org.textbank.desktop"}
}

// services are the Go objects the window calls through generated bindings.
func services(core *app.Core) []any {
	return []any{app.NewAccount(core), app.NewTexting(core), app.NewInbox(core)}
}
