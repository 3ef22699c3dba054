package loadtest

import (
	"context"
	"runtime/pprof"
)

// Every goroutine of a run carries a profiler label saying whose work it
// is, so that a CPU profile of the driver's process (-cpuprofile) tells the
// server's share from the load driver's: `go tool pprof -tagfocus
// role=server` (or volunteers, network, baseline). Goroutines inherit the
// label of the one that started them: the HTTP server's connections are
// the server's, the volunteers' HTTP client connections the volunteers'.
const (
	roleServer     = "server"     // the server under test: handlers, writer, dispatcher, webhooks
	roleVolunteers = "volunteers" // the simulated apps and their HTTP clients
	roleNetwork    = "network"    // the simulated network's inbound pacing
	roleBaseline   = "baseline"   // the bare one-insert handler
)

// as runs f labelled with role.
func as(role string, f func()) {
	pprof.Do(context.Background(), pprof.Labels("role", role), func(context.Context) { f() })
}
