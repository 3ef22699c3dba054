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
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"github.com/textbank/textbank/app"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
	"github.com/textbank/textbank/backend/secrets"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set at build time (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

func main() {
	started := time.Now()
	f, err := parseFlags(os.Args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			return
		}
		fmt.Fprintln(os.Stderr, "textbank:", err)
		os.Exit(2)
	}
	if err := run(f, started); err != nil {
		fmt.Fprintln(os.Stderr, "textbank:", err)
		os.Exit(1)
	}
}

// run wires the app. started is when the process began: start-up logs each
// phase's time since then (the launch bench's breakdown).
func run(f flags, started time.Time) error {
	if generatingBindings {
		// Wails only inspects the bound services here; nothing may start.
		core := app.NewCore(nil, zerolog.Nop())
		shell := app.NewShell(app.ShellConfig{})
		return wails.Run(&options.App{Title: "Textbank", Bind: services(core, app.NewSettings(shell, app.SettingsInfo{}, nil))})
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
	phase := func(name string) {
		log.Info().Str("phase", name).Int64("since_start_ms", time.Since(started).Milliseconds()).Msg("start-up")
	}
	phase("logging")

	settings := prefs.NewStore(filepath.Join(dataDir, "settings.json"))
	saved, err := settings.Load()
	if err != nil {
		log.Warn().Err(err).Msg("settings unreadable; using the defaults until they are changed")
	}
	// A plain http:// address to another computer, saved by an older app or
	// left in TEXTBANK_SERVER, is kept (the inbox and unsent changes stay)
	// but not used; the window says what to do.
	serverURL, serverFromFlag, serverRefused := activeServer(f, saved.ServerURL)
	if serverRefused != "" {
		log.Warn().Str("server", serverURL).Bool("from_env", f.serverFromEnv).Msg("server address is plain http:// to another computer; not connecting")
	}
	var demoInfo *demo.Info
	var demoJoinCode string
	var demoSignIns []client.DemoSignIn
	if f.demo {
		network := simnet.DefaultConfig()
		if f.demoAutoreply > 0 {
			network = simnet.Config{MinDelay: time.Second, MaxDelay: 2 * time.Second, Mix: simnet.Mix{simnet.Answer: 1}, Delivered: 2 * time.Second}
		}
		opts := demoOptions(dataDir, network, log)
		inst, err := demo.Start(ctx, opts)
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
		demoSignIns = []client.DemoSignIn{
			{Who: "volunteer", Email: demo.VolunteerEmail, Password: demo.VolunteerPassword},
			{Who: "organizer", Email: demo.OrganizerEmail, Password: demo.OrganizerPassword},
		}
		announceDemo(os.Stdout, log, inst, opts.Dir)
	}

	// The session token goes to the OS keyring; a demo's throwaway token
	// stays out of it.
	var tokens client.TokenStore
	tokenStorage := func() string { return "" }
	if !f.demo {
		vault := secrets.NewVault(secrets.OSKeyring{}, "Textbank", "session:"+dataDir)
		tokens, tokenStorage = vault, vault.Storage
	}
	// Sync waits for the window (OnStartup), which comes after Wails'
	// single-instance check: a second start, which Wails ends there, never
	// syncs beside the first (client.Config.SyncAfter). On Linux Wails runs
	// OnStartup beside that check, so there it narrows the overlap only.
	// Not in a demo: a second demo has a data dir and a server of its own.
	var windowUp chan struct{}
	if !f.demo {
		windowUp = make(chan struct{})
	}
	var core *app.Core
	c, err := client.New(client.Config{
		Tokens:       tokens,
		DataDir:      filepath.Join(dataDir, "app"),
		ServerURL:    serverURL,
		Refused:      serverRefused,
		Demo:         f.demo,
		DemoJoinCode: demoJoinCode,
		DemoSignIns:  demoSignIns,
		SyncAfter:    windowUp,
		Log:          log, // the client names itself its component
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

	policy := notify.New(notify.Config{})
	if err := notify.RemoveLegacyWatermark(dataDir); err != nil {
		log.Warn().Err(err).Msg("an older app's notification watermark stays")
	}
	var loginItem app.Autostart
	if !f.demo {
		if loginItem, err = app.LoginItem(); err != nil {
			log.Warn().Err(err).Msg("start at login unavailable")
		}
	}
	// The setting is what the volunteer chose: an entry removed behind
	// our back, or naming where the app was before it moved, is rewritten.
	if err := app.RestoreLoginItem(loginItem, saved.StartAtLogin); err != nil {
		log.Warn().Err(err).Msg("restore start at login")
	}
	title := "Textbank"
	if f.demo {
		title = "Textbank (demo)"
	}
	var shell *app.Shell
	tray := app.NewSystemTray(app.TrayActions{
		Open:       func() { shell.TrayActions().Open() },
		OpenUnread: func() { shell.TrayActions().OpenUnread() },
		Pause:      func(choice string) { shell.TrayActions().Pause(choice) },
		Resume:     func() { shell.TrayActions().Resume() },
		Quit:       func() { shell.Quit() },
	}, app.TrayHostPresent)
	closeBehaviour := app.CloseBehaviourFor(runtime.GOOS)
	shell = app.NewShell(app.ShellConfig{
		Log:       log.With().Str("component", "desktop").Logger(),
		Inbox:     c,
		Prefs:     settings,
		Policy:    policy,
		Tray:      tray,
		Notifier:  app.NewPlatformNotifier,
		Autostart: loginItem,
		Title:     title,
		Close:     closeBehaviour,
	})
	core.SetDesktop(shell)
	settingsService := app.NewSettings(shell, app.SettingsInfo{
		Version: version, ActiveServer: serverURL, ServerFromFlag: serverFromFlag,
		ServerFromEnv: serverFromFlag && f.serverFromEnv, ServerRefused: serverRefused, Demo: f.demo,
		LogDir: filepath.Join(dataDir, "logs"), TokenStorage: tokenStorage, Started: started,
	}, loginItem)

	if err := c.Start(ctx); err != nil {
		// The window opens all the same and says what is wrong (the cause
		// is in the client's log line); each call tries again. Exiting
		// here showed a volunteer who started Textbank from a menu nothing.
		log.Warn().Msg("the cache could not be opened; the window says why")
	} else {
		phase("cache open")
	}
	if demoInfo != nil {
		if _, err := c.SignIn(ctx, demoInfo.VolunteerEmail, demoInfo.VolunteerPassword); err != nil {
			return fmt.Errorf("sign in the demo volunteer: %w", err)
		}
		if f.demoAutoreply > 0 {
			go textDemoContacts(ctx, c, *demoInfo, f.demoAutoreply, log)
		}
	}

	// The first screen's data is read from the cache now, while WebKit
	// starts, and handed to the window inside index.html (app/boot.go). Not
	// in a demo: its campaign is joined in the background at start, after
	// such a read, and its cache is empty anyway.
	var pageMiddleware assetserver.Middleware = app.PlainPage
	if !f.demo {
		boot := app.NewBootPage(ctx, c, settingsService.Get, log.With().Str("component", "boot").Logger())
		pageMiddleware = assetserver.ChainMiddleware(app.PlainPage, boot.Middleware)
	}

	// A SIGTERM or Ctrl-C quits the way the tray's Quit does: outbox and cache shut down cleanly.
	go func() {
		<-ctx.Done()
		shell.Quit()
	}()

	phase("window starting")
	// The window's size at start, and the smallest the layout is made for (DESIGN.md, 640x560):
	// narrow enough to snap to half of a 1280 or 1366 px laptop screen, which a 900 px minimum refused.
	size, minSize := app.WindowSize{Width: 1200, Height: 780}, app.WindowSize{Width: 640, Height: 560}
	var fitOnce sync.Once
	return wails.Run(&options.App{
		Title:       title,
		Width:       size.Width,
		Height:      size.Height,
		MinWidth:    minSize.Width,
		MinHeight:   minSize.Height,
		StartHidden: startHidden(f.hidden, serverRefused),
		// macOS: the close button hides without OnBeforeClose, which then means Cmd-Q or a log out.
		HideWindowOnClose: closeBehaviour.HideWindowOnClose,
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Middleware: pageMiddleware,
		},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 252, A: 1},
		OnStartup: func(wctx context.Context) {
			phase("runtime up")
			if windowUp != nil {
				close(windowUp)
			}
			core.Startup(wctx)
			tray.Start()
			shell.Startup(wctx, app.WailsWindow{Ctx: wctx}, startHidden(f.hidden, serverRefused))
		},
		OnDomReady: func(wctx context.Context) {
			// Once the window is on a screen (Wails tells screens from then on; a reload is no new start).
			fitOnce.Do(func() { app.WailsWindow{Ctx: wctx}.FitToScreen(size, minSize) })
			log.Info().Str("marker", "dom-ready").Int64("since_start_ms", time.Since(started).Milliseconds()).Msg("window loaded")
		},
		OnBeforeClose: func(wctx context.Context) bool {
			// Kept open (hidden to the tray), or closed with the loop
			// ended on GTK's own thread (app.QuitOnMainLoop).
			return shell.BeforeClose(wctx) || app.QuitOnMainLoop()
		},
		OnShutdown: func(wctx context.Context) {
			shell.Shutdown()
			core.Shutdown(wctx)
		},
		Bind:               services(core, settingsService),
		SingleInstanceLock: singleInstance(f, shell),
		Logger:             app.WailsLogger(log),
		LogLevel:           app.WailsLogLevel(f.logLevel),
		LogLevelProduction: app.WailsLogLevel(f.logLevel),
	})
}

// textDemoContacts joins the demo campaign and sends its first texts to n
// contacts, so replies arrive while nobody touches the window.
func textDemoContacts(ctx context.Context, c *client.Client, info demo.Info, n int, log zerolog.Logger) {
	if _, err := c.JoinCampaign(ctx, info.JoinCode); err != nil {
		log.Warn().Err(err).Msg("demo autoreply: join the demo campaign")
		return
	}
	if _, err := c.TextAgain(ctx, info.ActionID); err != nil {
		log.Warn().Err(err).Msg("demo autoreply: take contacts to text")
		return
	}
	q, err := c.Queue(ctx, info.ActionID)
	if err != nil {
		log.Warn().Err(err).Msg("demo autoreply: load the queue")
		return
	}
	sent := 0
	for _, it := range q.Items {
		if sent == n {
			break
		}
		if err := c.SendInitial(ctx, info.ActionID, it.ContactID); err != nil {
			log.Warn().Err(err).Msg("demo autoreply: send")
			continue
		}
		sent++
	}
	log.Info().Int("sent", sent).Msg("demo autoreply: texts sent")
}

// singleInstance keeps one Textbank per desktop session: a second start
// (say, from the menu while it sits in the tray) brings the first to the
// front and exits. Demo runs lock apart from real ones.
func singleInstance(f flags, shell *app.Shell) *options.SingleInstanceLock {
	id := "org.textbank.desktop"
	if f.demo {
		id += ".demo"
	}
	return &options.SingleInstanceLock{
		UniqueId: id,
		OnSecondInstanceLaunch: func(options.SecondInstanceData) {
			log := shell.Log()
			log.Info().Msg("started again: bringing the window to the front")
			shell.ShowWindow()
		},
	}
}

// services are the Go objects the window calls through generated bindings.
func services(core *app.Core, settings *app.Settings) []any {
	return []any{app.NewAccount(core), app.NewTexting(core), app.NewInbox(core), app.NewAdmin(core), settings, &app.Events{}}
}
