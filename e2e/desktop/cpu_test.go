package desktop

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times (100 on
// every Linux this runs on).
const clockTicks = 100

// treeCPU returns the CPU time (user + system, ms) each process in the tree
// under root has used so far, by command name (WebKit's web and network
// processes are the app's children). Launch benches log it at the ready
// marker: on a shared machine wall times swing with the load, CPU much less.
func treeCPU(root int) map[string]float64 {
	type proc struct {
		ppid int
		name string
		ms   float64
	}
	procs := map[int]proc{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range dirs {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // the process ended meanwhile
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		// After "pid (comm) ": state ppid ... utime is field 14, stime 15.
		f := strings.Fields(s[end+2:])
		if len(f) < 13 {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(s[:open]))
		ppid, _ := strconv.Atoi(f[1])
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		procs[pid] = proc{ppid: ppid, name: s[open+1 : end], ms: (ut + st) * 1000 / clockTicks}
	}
	out := map[string]float64{}
	for pid, p := range procs {
		for anc := pid; anc > 1; anc = procs[anc].ppid {
			if anc == root {
				out[p.name] += p.ms
				break
			}
			if _, ok := procs[anc]; !ok {
				break
			}
		}
	}
	return out
}

// formatCPU is treeCPU's answer on one line, largest first.
func formatCPU(cpu map[string]float64) string {
	names := make([]string, 0, len(cpu))
	for n := range cpu {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return cpu[names[i]] > cpu[names[j]] })
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %.0f ms", n, cpu[n])
	}
	return strings.Join(parts, ", ")
}
