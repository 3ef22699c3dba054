package loadtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/loadtest"
)

// BenchmarkTableLoadtest is `textbankd loadtest` shortened for make bench:
// 200 volunteers and 500 replies a second for 10 s on SQLite, against the
// bare one-insert handler measured in the same run.
func BenchmarkTableLoadtest(b *testing.B) {
	for b.Loop() {
		rep, err := loadtest.Run(context.Background(), loadtest.Options{Volunteers: 200, InboundRate: 500,
			Duration: 10 * time.Second, Baseline: 5 * time.Second, Log: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Lost > 0 || rep.Duplicated > 0 {
			b.Fatalf("%s", rep.Summary())
		}
		b.Log(rep.Summary())
		b.ReportMetric(rep.Sends.PerSec, "sends/s")
		b.ReportMetric(rep.BaselinePer, "base-sends/s")
		b.ReportMetric(rep.Inbound.PerSec, "replies/s")
		b.ReportMetric(rep.Sends.P99Ms, "send-p99-ms")
	}
}
