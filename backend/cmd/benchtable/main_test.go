package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is real `go test -bench` output of this module, trimmed, with a
// log line, a benchmark without a baseline and a failure added.
const sample = `goos: linux
goarch: amd64
pkg: github.com/textbank/textbank/backend/cache
cpu: AMD EPYC
BenchmarkTableCache100k/apply-2         	       1	22408106913 ns/op	     49210 base-threads/s	      4463 threads/s
BenchmarkTableCache100k/filter_page-2   	       1	 350823390 ns/op	         0.1620 base-p99-ms	         2.912 p99-ms
BenchmarkTableCache100k/counts-2        	       1	3043061019 ns/op	         0.02134 base-p99-ms	         9.701 p99-ms
BenchmarkTableCache100k-2               	       1	45611234567 ns/op
PASS
ok  	github.com/textbank/textbank/backend/cache	52.112s
pkg: github.com/textbank/textbank/backend/server
BenchmarkTableInitialSync20k-2   	       1	9512356771 ns/op	     69012 base-threads/s	      2712 threads/s
--- BENCH: BenchmarkTableInitialSync20k-2
    sync_bench_test.go:150: 20000 threads in 7.37s: building pages 2.5s (35%), applying 4.8s
BenchmarkTableNoBase-2   	       1	12 ns/op	       31.5 widgets/s
--- FAIL: BenchmarkTableBroken-2
    x_test.go:10: boom
FAIL
FAIL	github.com/textbank/textbank/backend/other	1.0s
`

func TestParse(t *testing.T) {
	res, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Benchmark: "Cache100k/apply", Unit: "threads/s", Figure: 4463, Baseline: 49210, HasBase: true},
		{Benchmark: "Cache100k/filter_page", Unit: "p99-ms", Figure: 2.912, Baseline: 0.162, HasBase: true},
		{Benchmark: "Cache100k/counts", Unit: "p99-ms", Figure: 9.701, Baseline: 0.02134, HasBase: true},
		{Benchmark: "InitialSync20k", Unit: "threads/s", Figure: 2712, Baseline: 69012, HasBase: true},
		{Benchmark: "NoBase", Unit: "widgets/s", Figure: 31.5},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("rows = %+v, want %+v", res.Rows, want)
	}
	for i, w := range want {
		if res.Rows[i] != w {
			t.Errorf("row %d = %+v, want %+v", i, res.Rows[i], w)
		}
	}
	if strings.Join(res.Failed, ",") != "BenchmarkTableBroken-2,github.com/textbank/textbank/backend/other" {
		t.Errorf("failed = %v", res.Failed)
	}
}

func TestRatioHigherIsBetter(t *testing.T) {
	rate := Row{Unit: "threads/s", Figure: 25, Baseline: 50, HasBase: true}
	if r, _ := rate.Ratio(); r != 0.5 {
		t.Errorf("rate ratio = %v, want 0.5", r)
	}
	latency := Row{Unit: "p99-ms", Figure: 2, Baseline: 0.5, HasBase: true}
	if r, _ := latency.Ratio(); r != 0.25 {
		t.Errorf("latency ratio = %v, want 0.25", r)
	}
	if _, ok := (Row{Unit: "p99-ms", Figure: 2}).Ratio(); ok {
		t.Error("a row without a baseline has a ratio")
	}
}

func TestParseRejectsABadNumber(t *testing.T) {
	_, err := Parse(strings.NewReader("BenchmarkTableX-2   1   5 ns/op   fast threads/s\n"))
	if err == nil || !strings.Contains(err.Error(), `"fast"`) {
		t.Fatalf("err = %v, want one naming the bad value", err)
	}
}

func TestMarkdownWithExtraRows(t *testing.T) {
	res, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	extra, err := ExtraRows("| name | figure | unit | baseline | ratio |\n| --- | --- | --- | --- | --- |\n| reply to row (e2e) | 48 | p99-ms | 16 | 0.33 |\n")
	if err != nil {
		t.Fatal(err)
	}
	md := Markdown(res, extra)
	for _, want := range []string{
		"| benchmark | figure | unit | baseline | ratio (higher is better) |",
		"| Cache100k/apply | 4463 | threads/s | 49210 | 0.09 |",
		"| Cache100k/counts | 9.70 | p99-ms | 0.0213 | 0.00 |",
		"| NoBase | 31.50 | widgets/s | — | — |",
		"| reply to row (e2e) | 48 | p99-ms | 16 | 0.33 |",
	} {
		if !strings.Contains(md, want+"\n") {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
}

func TestExtraRowsRejectsWhatIsNotARow(t *testing.T) {
	for _, bad := range []string{"just text\n", "| a | b |\n", "| a | b | c | d | e | f |\n"} {
		if _, err := ExtraRows(bad); err == nil {
			t.Errorf("ExtraRows(%q) accepted it", bad)
		}
	}
}

func TestRunFailsOnFailedBenchmarks(t *testing.T) {
	f := filepath.Join(t.TempDir(), "rows.md")
	if err := os.WriteFile(f, []byte("| e2e | 1 | ms | 1 | 1.00 |\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run(strings.NewReader(sample), &out, []string{f})
	if err == nil || !strings.Contains(err.Error(), "BenchmarkTableBroken") {
		t.Fatalf("err = %v, want the failed benchmark named", err)
	}
	if !strings.Contains(out.String(), "Machine: ") || !strings.Contains(out.String(), "| e2e | 1 | ms | 1 | 1.00 |") {
		t.Fatalf("output lacks the header or the extra row:\n%s", out.String())
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Fuzz(func(t *testing.T, s string) {
		res, err := Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		_ = Markdown(res, nil)
	})
}
