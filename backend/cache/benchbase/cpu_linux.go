package benchbase

import (
	"encoding/binary"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// processCPU is the CPU time of the whole process, every thread included.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// threadClock is the calling thread's CPU time to the nanosecond (the
// kernel's task clock, a software counter: rusage counts in scheduler
// ticks), or ok false where perf events are not allowed. The caller keeps
// to one OS thread and closes it.
type threadClock int

func openThreadClock() (threadClock, bool) {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: unix.PERF_COUNT_SW_TASK_CLOCK,
		Size: uint32(unsafe.Sizeof(unix.PerfEventAttr{}))}
	fd, err := unix.PerfEventOpen(&attr, 0, -1, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return -1, false
	}
	return threadClock(fd), true
}

func (c threadClock) read() time.Duration {
	var b [8]byte
	if n, err := unix.Read(int(c), b[:]); err != nil || n != 8 {
		return 0
	}
	return time.Duration(binary.NativeEndian.Uint64(b[:]))
}

func (c threadClock) close() { _ = unix.Close(int(c)) }
