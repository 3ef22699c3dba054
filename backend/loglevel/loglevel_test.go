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
	} {
		if _, err := Parse(name); err == nil || err.Error() != want {
			t.Errorf("Parse(%q) = %v; want %q", name, err, want)
		}
	}
}
