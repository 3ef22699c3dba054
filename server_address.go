package main

import (
	"flag"
	"fmt"

	"github.com/textbank/textbank/backend/prefs"
)

// defaultServer is used when neither --server, TEXTBANK_SERVER nor the
// Settings screen names one.
const defaultServer = "http://127.0.0.1:8787"

// chooseServer: --server or TEXTBANK_SERVER win, then the Settings
// screen's address, then the default.
func chooseServer(flagValue, saved string) (url string, fromFlag bool) {
	switch {
	case flagValue != "":
		return flagValue, true
	case saved != "":
		return saved, false
	}
	return defaultServer, false
}

// checkServerFlag holds --server (or TEXTBANK_SERVER, its default) to the
// rule Settings holds a new address to (prefs.Encrypted: https://, or
// http:// to this computer), naming whichever of the two gave it.
func checkServerFlag(fs *flag.FlagSet, value string) error {
	if value == "" {
		return nil
	}
	err := prefs.Encrypted(value)
	if err == nil {
		return nil
	}
	given := "TEXTBANK_SERVER"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "server" {
			given = "--server"
		}
	})
	return fmt.Errorf("%s: %w", given, err)
}

// refusedSavedServer is, for an address the Settings screen saved before
// the rule existed (plain http:// to another computer), what the window
// tells the volunteer to do; "" when the address is fine. The address is
// kept rather than dropped: the cache mirrors its server, and dropping it
// would empty the inbox and lose the unsent changes.
func refusedSavedServer(url string) string {
	if prefs.Encrypted(url) == nil {
		return ""
	}
	return fmt.Sprintf("Textbank no longer connects to %s: over plain http:// your password and conversations "+
		"would cross the network unencrypted. Ask your organizer for the server's https:// address, enter it "+
		"in Settings, then restart Textbank. Your inbox and unsent changes are kept.", url)
}
