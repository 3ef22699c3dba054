package loadtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/loadtest"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// BenchmarkTableLoadtest is `textbankd loadtest` shortened for make bench:
// 200 volunteers and 500 replies a second for 10 s on SQLite, against the
// bare one-insert handler measured in the same run.
func BenchmarkTableLoadtest(b *testing.B) {
	benchLoadtest(b, "")
}

// BenchmarkTableLoadtestPostgres is the same run with the server's store on
// PostgreSQL (a fresh database on the cluster of TEXTBANK_TEST_POSTGRES,
// which make bench starts with scripts/pg-test.sh; skipped without one).
// The baseline is still the bare SQLite handler, measured in the same run.
func BenchmarkTableLoadtestPostgres(b *testing.B) {
	benchLoadtest(b, pgtest.URL(b))
}

func benchLoadtest(b *testing.B, db string) {
	for b.Loop() {
		rep, err := loadtest.Run(context.Background(), loadtest.Options{Volunteers: 200, InboundRate: 500,
			Duration: 10 * time.Second, Baseline: 5 * time.Second, DB: db, Log: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		if !rep.OK() {
			b.Fatalf("%s", rep.Summary())
		}
		b.Log(rep.Summary())
		b.ReportMetric(rep.Sends.PerSec, "sends/s")
		b.ReportMetric(rep.BaselinePer, "base-sends/s")
		b.ReportMetric(rep.Inbound.PerSec, "replies/s")
		b.ReportMetric(rep.Sends.P99Ms, "send-p99-ms")
	}
}
