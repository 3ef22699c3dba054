// Command benchtable turns `go test -bench '^BenchmarkTable'` output (on
// stdin) into the one markdown table `make bench` prints: every figure a
// benchmark reported with b.ReportMetric beside the baseline it reported as
// "base-<unit>" in the same run. Rows other bench scripts print already
// formatted (| name | figure | unit | baseline | ratio |) are appended with
// --rows FILE.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

type rowFiles []string

func (r *rowFiles) String() string     { return strings.Join(*r, ",") }
func (r *rowFiles) Set(v string) error { *r = append(*r, v); return nil }

func main() {
	var extra rowFiles
	flag.Var(&extra, "rows", "a file of pre-formatted markdown table rows to append (repeatable)")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, extra); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer, extra []string) error {
	res, err := Parse(in)
	if err != nil {
		return err
	}
	var more []string
	for _, f := range extra {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read extra rows: %w", err)
		}
		rows, err := ExtraRows(string(b))
		if err != nil {
			return fmt.Errorf("extra rows in %s: %w", f, err)
		}
		more = append(more, rows...)
	}
	fmt.Fprintf(out, "Machine: %d CPUs, %s, %s; %s\n\n", runtime.NumCPU(), cpuModel(), goVersion(),
		time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprint(out, Markdown(res, more))
	if len(res.Failed) > 0 {
		return fmt.Errorf("benchmarks failed: %s", strings.Join(res.Failed, ", "))
	}
	return nil
}

// Result is what one `go test -bench` run printed.
type Result struct {
	Rows   []Row
	Failed []string // benchmarks or packages that failed
}

// Row is one figure of one benchmark.
type Row struct {
	Benchmark string
	Unit      string
	Figure    float64
	Baseline  float64
	HasBase   bool
}

// Ratio is how the figure compares with its baseline, oriented so that
// higher is better: figure/baseline for rates (units ending in "/s"),
// baseline/figure for everything else (times). 1.0 = as good as the raw
// baseline.
func (r Row) Ratio() (float64, bool) {
	if !r.HasBase || r.Figure == 0 || r.Baseline == 0 {
		return 0, false
	}
	if strings.HasSuffix(r.Unit, "/s") {
		return r.Figure / r.Baseline, true
	}
	return r.Baseline / r.Figure, true
}

// The testing package's own per-op units say nothing a table reader needs.
var builtinUnits = map[string]bool{"ns/op": true, "B/op": true, "allocs/op": true, "MB/s": true}

// Parse reads go test -bench output. A benchmark line is
// "BenchmarkName-CPUS  N  v1 unit1  v2 unit2 ...".
func Parse(in io.Reader) (Result, error) {
	var res Result
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "--- FAIL:"):
			res.Failed = append(res.Failed, nthField(trimmed, 2))
			continue
		case strings.HasPrefix(line, "FAIL\t"):
			res.Failed = append(res.Failed, nthField(line, 1))
			continue
		case !strings.HasPrefix(line, "Benchmark"):
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || len(f)%2 != 0 {
			continue // a benchmark's own log line, or one cut short by a failure
		}
		name := benchName(f[0])
		metrics := map[string]float64{}
		var units []string
		for i := 2; i+1 < len(f); i += 2 {
			var v float64
			if _, err := fmt.Sscanf(f[i], "%g", &v); err != nil {
				return res, fmt.Errorf("benchmark %s: value %q of %s is not a number", name, f[i], f[i+1])
			}
			metrics[f[i+1]] = v
			units = append(units, f[i+1])
		}
		for _, u := range units {
			if builtinUnits[u] || strings.HasPrefix(u, "base-") {
				continue
			}
			base, ok := metrics["base-"+u]
			res.Rows = append(res.Rows, Row{Benchmark: name, Unit: u, Figure: metrics[u], Baseline: base, HasBase: ok})
		}
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("read benchmark output: %w", err)
	}
	return res, nil
}

// benchName drops "BenchmarkTable" and the "-CPUS" suffix.
func benchName(s string) string {
	s = strings.TrimPrefix(s, "Benchmark")
	s = strings.TrimPrefix(s, "Table")
	if i := strings.LastIndex(s, "-"); i > 0 && strings.Trim(s[i+1:], "0123456789") == "" {
		s = s[:i]
	}
	return s
}

// ExtraRows keeps the table rows of another bench script's output: lines of
// five cells; a header or separator row is dropped.
func ExtraRows(s string) ([]string, error) {
	var out []string
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
			return nil, fmt.Errorf("line %d is not a markdown table row: %q", n+1, line)
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 5 {
			return nil, fmt.Errorf("line %d has %d cells, want 5 (name | figure | unit | baseline | ratio): %q", n+1, len(cells), line)
		}
		first := strings.TrimSpace(cells[0])
		if first == "benchmark" || first == "name" || strings.Trim(first, "-: ") == "" {
			continue
		}
		out = append(out, line)
	}
	return out, nil
}

// Markdown is the table.
func Markdown(res Result, extra []string) string {
	var b strings.Builder
	b.WriteString("| benchmark | figure | unit | baseline | ratio (higher is better) |\n")
	b.WriteString("| --- | ---: | --- | ---: | ---: |\n")
	for _, r := range res.Rows {
		base, ratio := "—", "—"
		if r.HasBase {
			base = num(r.Baseline)
		}
		if v, ok := r.Ratio(); ok {
			ratio = fmt.Sprintf("%.2f", v)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.Benchmark, num(r.Figure), r.Unit, base, ratio)
	}
	for _, line := range extra {
		b.WriteString(line + "\n")
	}
	if len(res.Rows) == 0 && len(extra) == 0 {
		b.WriteString("| (no BenchmarkTable* ran) | | | | |\n")
	}
	return b.String()
}

// num prints three significant figures, no exponent.
func num(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 100:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// goVersion is the toolchain that ran the benchmarks (go on PATH), not the
// one that built this program, though they are normally the same.
func goVersion() string {
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		if v := strings.TrimSpace(string(out)); v != "" {
			return v
		}
	}
	return runtime.Version()
}

// nthField is the n-th white-space separated field of line, or the whole
// line when it has fewer (a truncated "--- FAIL:" still counts as a failure).
func nthField(line string, n int) string {
	if f := strings.Fields(line); len(f) > n {
		return f[n]
	}
	return line
}
