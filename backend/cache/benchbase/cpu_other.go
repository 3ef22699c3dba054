//go:build !linux

package benchbase

import "time"

// processCPU is not measured outside Linux; only wall times are reported.
func processCPU() (time.Duration, bool) { return 0, false }
