package server_test

// The send benchmarks' measures: CPU per operation, the bare one-insert
// baseline, the windows' medians and an optional CPU profile.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
)

// CPU is read by server.ProcessCPU (cputime_*_test.go): the machine is shared,
// so wall-clock rates move with other load, and CPU per operation says
// what the code costs. It counts the in-process clients too, in a figure
// and in its baseline alike.

// cpuMicros is the CPU used since from, in microseconds per operation.
func cpuMicros(b *testing.B, from time.Duration, ops int) float64 {
	return float64(server.ProcessCPU()-from) / float64(time.Microsecond) / float64(ops)
}

// profileWindow writes a CPU profile of the measured window alone (setup
// and baseline left out) to $TEXTBANK_BENCH_CPUPROFILE, one file per
// window (a numbered suffix), when that is set; it returns the stop.
func profileWindow(b *testing.B) func() {
	path := os.Getenv("TEXTBANK_BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", path, profileWindows.Add(1)))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

var profileWindows atomic.Int64

// baselineInserts is the bare floor: net/http decoding a small JSON body
// and one SQLite insert per request, same clients, same file settings.
func baselineInserts(b *testing.B, requests int) (perSec, cpuPerSend float64) {
	b.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(b.TempDir(), "base.db")+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m api.MutationsRequest
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil || len(m.Mutations) != 1 {
			http.Error(w, "bad", 400)
			return
		}
		if _, err := db.Exec(`INSERT INTO t (id, body, created_at) VALUES (?, ?, ?)`, m.Mutations[0].ID, "Hi", time.Now().String()); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[{"id":"x","status":"applied"}]}`))
	}))
	defer ts.Close()
	per := requests / benchVolunteers
	var wg sync.WaitGroup
	cpu0 := server.ProcessCPU()
	start := time.Now()
	for range benchVolunteers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := api.NewClient(ts.URL, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}})
			for range per {
				if _, err := c.PushMutations(context.Background(), []api.Mutation{{ID: appID(), Type: api.MutSendInitial}}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(per*benchVolunteers) / time.Since(start).Seconds(), cpuMicros(b, cpu0, per*benchVolunteers)
}

// benchWindows is how many measured windows a send figure is the median
// of. One window of 1,600 sends lasts about 0.3 s, and on this VM a single
// window's ratio to its baseline swings by a tenth either way from run to
// run; the median of three interleaved pairs says what the code does.
const benchWindows = 3

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// reportSendMedians reports a send bench's windows as their medians, each
