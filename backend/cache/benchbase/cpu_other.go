//go:build !linux

package benchbase

import "time"

// processCPU is not measured outside Linux; only wall times are reported.
func processCPU() (time.Duration, bool) { return 0, false }

type threadClock int

func openThreadClock() (threadClock, bool) { return -1, false }
func (threadClock) read() time.Duration    { return 0 }
func (threadClock) close()                 {}
