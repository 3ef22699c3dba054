package postgres

import "sync/atomic"

// CountRoundTrips makes s count the round trips its transactions make
// from now on (set it before any transaction runs).
func CountRoundTrips(s *Store) *atomic.Int64 {
	n := new(atomic.Int64)
	s.sent = func() { n.Add(1) }
	return n
}
