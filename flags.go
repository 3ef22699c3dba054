package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/textbank/textbank/backend/loglevel"
)

// The desktop app's command line: its flags, each also an environment
// variable, and where its data lives.

type flags struct {
	demo   bool
	server string // "" = from the settings, else the default
	// serverFromEnv: server came from TEXTBANK_SERVER, not a typed --server.
	serverFromEnv bool
	dataDir       string
	logLevel      string
	// hidden: started at login; stay in the tray until asked for.
	hidden bool
	// demoAutoreply texts this many demo contacts at start-up, and every
	// demo contact answers within two seconds: a reply arrives with no one
	// at the keyboard (the desktop integration test's trigger).
	demoAutoreply int
}

func parseFlags(args []string) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("textbank", flag.ContinueOnError)
	fs.BoolVar(&f.demo, "demo", false, "run with an embedded demo campaign server and simulated contacts")
	fs.StringVar(&f.server, "server", envOr("TEXTBANK_SERVER", ""), "campaign server URL, e.g. https://textbank.example.org (env TEXTBANK_SERVER)")
	fs.StringVar(&f.dataDir, "data", envOr("TEXTBANK_DATA", ""), "where the local cache lives (default: your config dir; env TEXTBANK_DATA)")
	fs.StringVar(&f.logLevel, "log-level", envOr("TEXTBANK_LOG_LEVEL", "info"), loglevel.Names+" (env TEXTBANK_LOG_LEVEL)")
	fs.BoolVar(&f.hidden, "hidden", false, "start hidden in the tray (used when starting at login)")
	fs.IntVar(&f.demoAutoreply, "demo-autoreply", 0, "demo mode: text this many contacts at start-up; every contact answers within 2s")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	f.serverFromEnv = f.server != "" && !serverTyped(fs)
	demoSetsEnvServerAside(&f)
	if f.demo && f.server != "" {
		return f, fmt.Errorf("--demo and %s cannot be used together: demo mode runs its own server", serverGiven(f))
	}
	if err := checkServerFlag(fs, f.server); err != nil {
		return f, err
	}
	if f.demoAutoreply != 0 && !f.demo {
		return f, fmt.Errorf("--demo-autoreply needs --demo")
	}
	if f.demoAutoreply < 0 || f.demoAutoreply > 20 {
		return f, fmt.Errorf("--demo-autoreply %d: give a number of contacts from 0 to 20", f.demoAutoreply)
	}
	return f, nil
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
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
