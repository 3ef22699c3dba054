package server

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's target (setting it is the only way).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestTuneGC(t *testing.T) {
	before := gcPercent()
	defer debug.SetGCPercent(before)

	restore := TuneGC(func(string) string { return "" })
	if got := gcPercent(); got != serveGCPercent {
		t.Fatalf("after TuneGC the target is %d, want %d", got, serveGCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Fatalf("after restore the target is %d, want %d", got, before)
	}

	// An operator's GOGC stands.
	restore = TuneGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := gcPercent(); got != before {
		t.Fatalf("with GOGC set, TuneGC changed the target to %d", got)
	}
	restore()
}
