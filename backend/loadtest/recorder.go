package loadtest

import (
	"sort"
	"sync"
	"time"
)

// recorder collects latencies and outcomes from every goroutine.
type recorder struct {
	mu       sync.Mutex
	lat      map[string][]time.Duration
	accepted []string // message ids of accepted sends
	rejected int
	errs     map[string]int
	firstErr map[string]error
}

const (
	kindSend    = "send"
	kindSync    = "sync"
	kindInbound = "inbound"
)

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, errs: map[string]int{}, firstErr: map[string]error{}}
}

func (r *recorder) add(kind string, d time.Duration) {
	r.mu.Lock()
	r.lat[kind] = append(r.lat[kind], d)
	r.mu.Unlock()
}

func (r *recorder) accept(messageID string) {
	r.mu.Lock()
	r.accepted = append(r.accepted, messageID)
	r.mu.Unlock()
}

func (r *recorder) reject() {
	r.mu.Lock()
	r.rejected++
	r.mu.Unlock()
}

func (r *recorder) fail(kind string, err error) {
	r.mu.Lock()
	r.errs[kind]++
	if r.firstErr[kind] == nil {
		r.firstErr[kind] = err
	}
	r.mu.Unlock()
}

func (r *recorder) rejectedCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rejected
}

// latency summarizes kind. Sends count accepted texts; the percentiles
// are over every request of the kind.
func (r *recorder) latency(kind string, elapsed time.Duration) Latency {
	r.mu.Lock()
	defer r.mu.Unlock()
	ds := append([]time.Duration(nil), r.lat[kind]...)
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	n := len(ds)
	if kind == kindSend {
		n = len(r.accepted)
	}
	l := Latency{Count: n, PerSec: float64(n) / elapsed.Seconds()}
	if len(ds) > 0 {
		l.P50Ms = ms(ds[len(ds)*50/100])
		l.P99Ms = ms(ds[min(len(ds)-1, len(ds)*99/100)])
	}
	return l
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// failures counts the requests that got no usable answer, and names the
// first.
func (r *recorder) failures() (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, first := 0, ""
	for _, kind := range []string{kindSend, kindSync, kindInbound} {
		n += r.errs[kind]
		if first == "" && r.firstErr[kind] != nil {
			first = kind + ": " + r.firstErr[kind].Error()
		}
	}
	return n, first
}
