package client

import "time"

// SetResultsTimeout shortens the results' timeout for a test; the returned
// func puts it back.
func SetResultsTimeout(d time.Duration) func() {
	was := resultsTimeout
	resultsTimeout = d
	return func() { resultsTimeout = was }
}
