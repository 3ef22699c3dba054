// Package loglevel reads the --log-level (TEXTBANK_LOG_LEVEL) that the
// desktop app and textbankd both take: one list of the names a user is
// told to choose from, and one message for a wrong one.
package loglevel

import (
	"fmt"
	"strings"

	"github.com/rs/zerolog"
)

// Names are the levels offered, as a flag's help and a refusal name them.
const Names = "debug, info, warn or error"

// levels are the names Names offers. zerolog.ParseLevel alone also takes
// trace, fatal, panic, disabled and any number, some of which silence
// every error ("disabled", "5", "42"): a typo must not turn logging off.
var levels = map[string]zerolog.Level{
	"debug": zerolog.DebugLevel, "info": zerolog.InfoLevel, "warn": zerolog.WarnLevel, "error": zerolog.ErrorLevel,
}

// Parse reads a level name in any case. An empty or unknown one is refused
// with an error that names it and the levels to choose from.
func Parse(name string) (zerolog.Level, error) {
	lvl, ok := levels[strings.ToLower(name)]
	if !ok {
		return zerolog.NoLevel, fmt.Errorf("log level %q: want %s", name, Names)
	}
	return lvl, nil
}
