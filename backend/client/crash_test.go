package client_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/demo"
)

// crashChildEnv makes the test binary run the desktop side instead of the
// tests: see crashChild.
const crashChildEnv = "TEXTBANK_CRASH_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	os.Exit(m.Run())
}

// crashChild is the desktop side as its own process: the client (cache and
// sync engine) of the demo volunteer, texting every contact it gets, with
// replies, reports and archive toggles on the demo's conversations in between, in
// small sync pages so a kill often lands in the middle of a pull. It says
// on stdout "started" once signed in, what it committed ("queued <phone>",
// "replied <body>", "reported <notes>"), and "idle" once nothing is left to send and the
// outbox is empty.
func crashChild() int {
	ctx := context.Background()
	dir, url, action := os.Getenv("CRASH_DIR"), os.Getenv("CRASH_URL"), os.Getenv("CRASH_ACTION")
	c, err := client.New(client.Config{DataDir: dir, ServerURL: url, Log: zerolog.Nop(),
		PollInterval: 200 * time.Millisecond, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond, PageLimit: 1})
	if err == nil {
		err = c.Start(ctx)
	}
	if err == nil && !c.Status(ctx).SignedIn {
		if _, err = c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err == nil {
			_, err = c.JoinCampaign(ctx, demo.JoinCode)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		return 2
	}
	say := func(format string, args ...any) { fmt.Fprintf(os.Stdout, format+"\n", args...) }
	say("started")
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	seeded := func() []client.ThreadSummary {
		var out []client.ThreadSummary
		for _, f := range []string{client.FilterAll, client.FilterArchive} {
			rows, _ := c.Threads(ctx, f, "", "", 0, 500)
			for _, r := range rows {
				if r.ActionID != action {
					out = append(out, r)
				}
			}
		}
		return out
	}
	replies := func(th []client.ThreadSummary) int {
		n := 0
		for _, r := range th {
			v, _ := c.Thread(ctx, r.ID)
			for _, m := range v.Messages {
				if strings.HasPrefix(m.Body, "Reply ") {
					n++
				}
			}
		}
		return n
	}
	for {
		worked := false
		if q, err := c.Queue(ctx, action); err == nil && len(q.Items) > 0 {
			if err := c.SendInitial(ctx, action, q.Items[0].ContactID); err == nil {
				say("queued %s", q.Items[0].Phone)
			}
			worked = true
		} else if b, err := c.TextAgain(ctx, action); err == nil && b.Assigned > 0 {
			continue
		}
		th := seeded()
		if len(th) > 0 && replies(th) < crashReplies {
			if rng.IntN(2) == 0 {
				body := "Reply " + uuid.NewString()
				if c.SendReply(ctx, th[rng.IntN(len(th))].ID, body, "") == nil {
					say("replied %s", body)
				}
			}
			if rng.IntN(3) == 0 {
				note := "Report " + uuid.NewString()
				if c.SubmitReport(ctx, th[rng.IntN(len(th))].ID, map[string]string{report.Notes: note}) == nil {
					say("reported %s", note)
				}
			}
			pick := th[rng.IntN(len(th))]
			_ = c.Archive(ctx, pick.ID, !pick.Archived)
			worked = true
		}
		if !worked {
			if st := c.Status(ctx); st.Pending == 0 && st.Connection == client.ConnectionOnline {
				say("idle")
				select {}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// crashReplies is how many replies the runs of crashChild send in all.
const crashReplies = 24

// child is one run of crashChild.
type child struct {
	cmd     *exec.Cmd
	mu      gosync.Mutex
	lines   []string
	started chan struct{}
	idle    chan struct{}
	done    chan struct{}
}

func startChild(t *testing.T, env []string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := &child{cmd: cmd, started: make(chan struct{}), idle: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(ch.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ch.mu.Lock()
			ch.lines = append(ch.lines, sc.Text())
			ch.mu.Unlock()
			switch sc.Text() {
			case "started":
				close(ch.started)
			case "idle":
				close(ch.idle)
			}
		}
	}()
	return ch
}

// kill sends SIGKILL and returns every line the child wrote.
func (c *child) kill() []string {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done // read to the end first: Wait closes the pipe
	_ = c.cmd.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lines
}

func integrityOK(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check after a kill: %q %v", res, err)
	}
}

// The desktop side killed with SIGKILL at random points, during syncs and
// outbox flushes, 20 times: the cache stays sound, nothing it queued is
// lost, nothing is texted twice, and the next start finishes the job by
// itself.
func TestCrashDuringSyncAndFlush(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 20 processes")
	}
	serverDir := t.TempDir()
	inst := startDemoIn(t, serverDir, "127.0.0.1:0")
	dir := t.TempDir()
	env := []string{crashChildEnv + "=1", "CRASH_DIR=" + dir, "CRASH_URL=" + inst.URL, "CRASH_ACTION=" + inst.Info.ActionID}
	queued, replied, reported := map[string]bool{}, map[string]bool{}, map[string]bool{}
	note := func(lines []string) {
		for _, l := range lines {
			if p, ok := strings.CutPrefix(l, "queued "); ok {
				queued[p] = true
			}
			if b, ok := strings.CutPrefix(l, "replied "); ok {
				replied[b] = true
			}
			if n, ok := strings.CutPrefix(l, "reported "); ok {
				reported[n] = true
			}
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var killedAt []string
	for range 20 {
		ch := startChild(t, env)
		// Killed at a random point once it runs (signing in, the first
		// start, is not what this is about): in the first pull, a push,
		// a later pull, between them.
		select {
		case <-ch.started:
		case <-time.After(30 * time.Second):
			ch.kill()
			t.Fatal("the desktop side did not start")
		}
		time.Sleep(time.Duration(rng.IntN(700)) * time.Millisecond)
		before := len(queued) + len(replied) + len(reported)
		note(ch.kill())
		killedAt = append(killedAt, fmt.Sprint(len(queued)+len(replied)+len(reported)-before))
		integrityOK(t, filepath.Join(dir, cache.FileName))
	}
	t.Logf("changes queued by each run before its kill: %s", strings.Join(killedAt, " "))
	t.Logf("after 20 kills: %d first texts, %d replies and %d reports queued, %d texts on the network", len(queued), len(replied), len(reported), len(inst.Network.Sent()))

	// Started once more, it finishes by itself.
	ch := startChild(t, env)
	select {
	case <-ch.idle:
	case <-time.After(45 * time.Second):
		ch.kill()
		t.Fatal("the desktop side did not finish after the kills")
	}
	note(ch.kill())
	integrityOK(t, filepath.Join(dir, cache.FileName))

	byPhone, byBody := map[string]int{}, map[string]int{}
	for _, m := range inst.Network.Sent() {
		if strings.HasPrefix(m.Body, "Reply ") {
			byBody[m.Body]++
		} else {
			byPhone[m.To]++
		}
	}
	for p, n := range byPhone {
		if n != 1 {
			t.Errorf("%s was texted %d times", p, n)
		}
	}
	for b, n := range byBody {
		if n != 1 {
			t.Errorf("reply %q went out %d times", b, n)
		}
	}
	for p := range queued {
		if byPhone[p] != 1 {
			t.Errorf("first text to %s was queued and never sent", p)
		}
	}
	for b := range replied {
		if byBody[b] != 1 {
			t.Errorf("reply %q was queued and never sent", b)
		}
	}
	filed := serverReports(t, filepath.Join(serverDir, demo.DBFile))
	for n, times := range filed {
		if times != 1 {
			t.Errorf("report %q filed %d times", n, times)
		}
	}
	for n := range reported {
		if filed[n] != 1 {
			t.Errorf("report %q was saved and never filed", n)
		}
	}
	if len(reported) < 5 {
		t.Errorf("only %d reports saved in all the runs", len(reported))
	}
	if len(queued) < 40 {
		t.Errorf("only %d of the demo's contacts were texted", len(queued))
	}
	ctx := context.Background()
	cc, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	rows, err := cc.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		t.Errorf("left in the outbox: %s rejected=%v %s %s", r.Mutation.Type, r.Rejected, r.Code, r.Reason)
	}
}

// serverReports counts the reports the server at path holds by their notes
// (those the crash runs filed, "Report <uuid>").
func serverReports(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT field_values FROM reports`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var values map[string]string
		if err := json.Unmarshal([]byte(raw), &values); err != nil {
			t.Fatal(err)
		}
		if n := values[report.Notes]; strings.HasPrefix(n, "Report ") {
			out[n]++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
