// Package killtest holds what the kill tests share: running this test
// binary again as a child that does one piece of work (its TestMain, told
// so by an environment variable) and killing it with SIGKILL part way, as
// the desktop cache's upgrade test and textbankd migrate's do; and waiting,
// before a kill, for proof that a restarted process got on with its work,
// so that the kill cuts something the last one did not.
package killtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Began is the line a child prints as its work begins: the kill is timed
// from it, not from the process's start, which under -race takes longer
// than the work.
const Began = "opening"

// Begin prints Began; a child calls it just before its work.
func Begin() { fmt.Println(Began) }

// Child is one run of the child.
type Child struct {
	// Env is the KEY=VALUE that makes this binary a child.
	Env string
	// Done says whether a line the child printed means its work is done.
	Done func(line string) bool
	// Wait is how long after Began to kill it, unless it ended first.
	Wait time.Duration
	// Progressed, if set, holds once the child has committed something
	// of its own (a migration, say): the kill waits for it however short
	// Wait is (AwaitProgress).
	Progressed func() bool
}

// Run starts the child and kills it c.Wait after it said Began (and not
// before c.Progressed holds), unless it ended first. finished is whether it
// printed a line c.Done accepts; ran is how long it ran after Began.
func Run(t testing.TB, c Child) (finished bool, ran time.Duration) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), c.Env)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// ended is closed once the child's output ends (it exited); said is
	// whether it said it was done, readable from then on.
	ended := make(chan struct{})
	began := make(chan struct{}, 1)
	var said bool
	go func() {
		defer close(ended)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == Began {
				began <- struct{}{}
			}
			said = said || c.Done(sc.Text())
		}
	}()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-ended
		_ = cmd.Wait()
	}
	select {
	case <-began: // Wait runs from here
	case <-ended: // it ended before it began
		_ = cmd.Wait()
		return said, 0
	}
	t0 := time.Now()
	select {
	case <-ended: // it finished first
	case <-time.After(c.Wait):
		if c.Progressed != nil {
			if err := AwaitProgress(c.Progressed, ended); err != nil {
				stop()
				t.Fatalf("the child, due to be killed: %v", err)
			}
		}
		stop()
	}
	ran = time.Since(t0)
	_ = cmd.Wait()
	return said, ran
}

// ProgressPoll and ProgressLimit are how often AwaitProgress asks, and for
// how long.
const (
	ProgressPoll  = 20 * time.Millisecond
	ProgressLimit = 2 * time.Minute
)

// AwaitProgress returns once progressed holds or ended is closed (the
// process ended: nothing to wait for), asking every ProgressPoll; an error
// if neither comes within ProgressLimit. ended may be nil.
func AwaitProgress(progressed func() bool, ended <-chan struct{}) error {
	limit := time.After(ProgressLimit)
	tick := time.NewTicker(ProgressPoll)
	defer tick.Stop()
	for !progressed() {
		select {
		case <-ended:
			return nil
		case <-limit:
			return fmt.Errorf("no progress in %v", ProgressLimit)
		case <-tick.C:
		}
	}
	return nil
}
