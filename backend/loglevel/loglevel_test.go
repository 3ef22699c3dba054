package loglevel

import (
	"testing"

	"github.com/rs/zerolog"
)

func TestParse(t *testing.T) {
	for name, want := range map[string]zerolog.Level{"debug": zerolog.DebugLevel, "info": zerolog.InfoLevel, "WARN": zerolog.WarnLevel, "Error": zerolog.ErrorLevel} {
		if got, err := Parse(name); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	// A wrong level and none at all are refused, naming what was given and
	// what to give.
	for name, want := range map[string]string{
		"loud": `log level "loud": want debug, info, warn or error`,
		"":     `log level "": want debug, info, warn or error`,
		// zerolog's other words and numbers: some of them silence every
		// error, and none is offered.
		"disabled": `log level "disabled": want debug, info, warn or error`,
		"42":       `log level "42": want debug, info, warn or error`,
		"trace":    `log level "trace": want debug, info, warn or error`,
		"fatal":    `log level "fatal": want debug, info, warn or error`,
	} {
		if _, err := Parse(name); err == nil || err.Error() != want {
			t.Errorf("Parse(%q) = %v; want %q", name, err, want)
		}
	}
}
