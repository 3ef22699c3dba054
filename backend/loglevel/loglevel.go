// Package loglevel reads the --log-level (TEXTBANK_LOG_LEVEL) that the
// desktop app and textbankd both take: one list of the names a user is
// told to choose from, and one message for a wrong one.
package loglevel

import (
	"fmt"

	"github.com/rs/zerolog"
)

// Names are the levels offered, as a flag's help and a refusal name them.
const Names = "debug, info, warn or error"

// Parse reads a level name in any case. An empty or unknown one is refused
// with an error that names it and the levels to choose from.
func Parse(name string) (zerolog.Level, error) {
	lvl, err := zerolog.ParseLevel(name)
	if err != nil || name == "" {
		return zerolog.NoLevel, fmt.Errorf("log level %q: want %s", name, Names)
	}
	return lvl, nil
}
