package desktop

import (
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkTableLaunch measures launch -> first screen ready for the built
// binary under Xvfb, median of 5, in demo mode (which also starts the
// embedded server and signs in, so it is an upper bound on a cached start).
// "Ready" is the window's own signal (Settings.Ready, logged as
// "first screen ready") once the frontend sends it, else the DOM-ready
// marker. The baseline is launch -> the window mapped on the display: what
// any WebKit window of this app costs before Textbank's own work.
func BenchmarkTableLaunch(b *testing.B) {
	bin := appBinary(b)
	s := newSession(b)
	s.serveTrayHost(b)
	s.serveNotifications(b)
	var ready, mapped []float64
	for range b.N {
		for range 5 {
			r, m := launchOnce(b, s, bin)
			ready, mapped = append(ready, r), append(mapped, m)
		}
	}
	b.ReportMetric(median(ready), "ready-ms")
	b.ReportMetric(median(mapped), "base-ready-ms")
}

var marker = regexp.MustCompile(`first screen ready|window loaded`)

func launchOnce(b *testing.B, s *session, bin string) (readyMS, mappedMS float64) {
	b.Helper()
	start := time.Now()
	a := s.start(b, bin, "--demo")
	var readyAt, mappedAt time.Duration
	deadline := start.Add(30 * time.Second)
	for (readyAt == 0 || mappedAt == 0) && time.Now().Before(deadline) {
		if mappedAt == 0 && s.windowViewable(b) {
			mappedAt = time.Since(start)
		}
		if readyAt == 0 {
			if log := a.log(); marker.MatchString(log) {
				readyAt = time.Since(start)
				if !strings.Contains(log, "first screen ready") {
					// DOM ready: give the window's own signal a moment to
					// follow, and take it if it does.
					for i := 0; i < 20 && !strings.Contains(a.log(), "first screen ready"); i++ {
						time.Sleep(25 * time.Millisecond)
					}
					if strings.Contains(a.log(), "first screen ready") {
						readyAt = time.Since(start)
					}
				}
			}
		}
		if a.exited() {
			b.Fatalf("app exited during launch:\n%s", a.log())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if readyAt == 0 || mappedAt == 0 {
		b.Fatalf("no ready marker or window within 30s:\n%s", a.log())
	}
	_ = a.cmd.Process.Signal(syscall.SIGTERM)
	<-a.done
	return float64(readyAt.Milliseconds()), float64(mappedAt.Milliseconds())
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
