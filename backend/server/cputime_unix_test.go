//go:build unix

package server

import (
	"syscall"
	"time"
)

// ProcessCPU (exported for the server_test benchmarks) is the CPU time (user + system) this process has used: on a
// shared machine it says what an import costs when wall time cannot.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
