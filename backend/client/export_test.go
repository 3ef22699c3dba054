package client

import (
	"net/http"
	"time"
)

// SetResultsTimeout shortens the results' timeout for a test; the returned
// func puts it back.
func SetResultsTimeout(d time.Duration) func() {
	was := resultsTimeout
	resultsTimeout = d
	return func() { resultsTimeout = was }
}

// HeaderWaits are how long the default client's transports wait for a
// response's headers: an ordinary call's, and a long-waiting one's
// (AdminResults).
func HeaderWaits() (normal, long time.Duration) {
	h := defaultHTTPClient().Transport.(headerWait)
	return h.normal.(*http.Transport).ResponseHeaderTimeout, h.long.(*http.Transport).ResponseHeaderTimeout
}

// ResultsTimeout is how long AdminResults waits.
func ResultsTimeout() time.Duration { return resultsTimeout }

// SetEndSignInHooks runs stopped once sync has stopped for a sign-in the
// server ended, before it is ended, and done when that ending returns; the
// returned func takes them away.
func SetEndSignInHooks(stopped, done func()) func() {
	endHooks.stopped, endHooks.done = stopped, done
	return func() { endHooks.stopped, endHooks.done = nil, nil }
}

// SetSyncHeldHook runs f when an engine starts to wait for
// Config.SyncAfter; the returned func takes it away.
func SetSyncHeldHook(f func()) func() {
	syncHeld = f
	return func() { syncHeld = nil }
}

// SetAcceptedHooks runs store before and stored after each store of when
// the server last accepted the sign-in, and closing when sync stops,
// before it waits for those stores; the returned func takes them away.
func SetAcceptedHooks(store, stored, closing func()) func() {
	acceptedHooks.store, acceptedHooks.stored, acceptedHooks.closing = store, stored, closing
	return func() { acceptedHooks.store, acceptedHooks.stored, acceptedHooks.closing = nil, nil, nil }
}
