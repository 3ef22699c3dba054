//go:build !linux

package benchbase

import "time"

// threadCPU is not measured outside Linux; only wall times are reported.
func threadCPU() (time.Duration, bool) { return 0, false }

func processCPU() (time.Duration, bool) { return 0, false }
