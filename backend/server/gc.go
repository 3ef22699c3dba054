package server

import (
	"runtime/debug"
)

// serveGCPercent is the Go collector's target for a running server: a
// collection when the heap has grown by three times what was live after
// the last one, where Go's default waits for it to double. A campaign
// server's live heap is small (tens of MB under 200 volunteers texting)
// and nearly all it allocates dies with the request, so collecting a
// third as often costs some 50 MB more memory and frees CPU for requests:
// in the load driver's 10 s run, sends accepted per second rose about 10%
// (docs/PERFORMANCE.md, "Load driver").
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
