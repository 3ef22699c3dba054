package server

import (
	"runtime/debug"
)

// serveGCPercent is the Go collector's target for a running server: a
// collection when the heap has grown by three times what was live after
// the last one, where Go's default waits for it to double. A campaign
// server's live heap is small (tens of MB under 200 volunteers texting)
// and nearly all it allocates dies with the request, so collecting a
// third as often costs some 50 MB more memory and frees CPU for requests.
// In the load driver's run (which the setting covers whole, its simulated
// volunteers included) the median of five went from 2,045 to 2,433 sends
// a second (docs/PERFORMANCE-LOG.md, "Eighth round"); 600 was no faster.
const serveGCPercent = 300

// TuneGC sets the collector's target for a process that serves (textbankd
// serve, and the load driver's own server), unless the operator chose one
// with GOGC; restore puts back what was there. A setting of the whole
// process, so main calls it, never a library's init.
func TuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(serveGCPercent)
	return func() { debug.SetGCPercent(old) }
}
