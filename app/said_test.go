package app

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the cache's driver, to break its file
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/words"
)

// brokenCore is a started, signed-out client whose local database has lost
// its tables (as a damaged file would), logging into log; its server
// address refuses connections at once.
func brokenCore(t *testing.T, log *bytes.Buffer) *Core {
	t.Helper()
	dir := t.TempDir()
	c, err := client.New(client.Config{DataDir: dir, ServerURL: "http://127.0.0.1:9", Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"campaigns", "actions", "assignments", "threads", "messages", "reports", "settings", "outbox"} {
		if _, err := db.Exec("DROP TABLE " + table); err != nil {
			t.Fatalf("break the cache: %v", err)
		}
	}
	return NewCore(c, zerolog.New(log))
}

// TestCacheFailureSaysWhatToDoAndLogsTheDetail: an error of the local
// database reaches the window as words a volunteer can act on, and the log
// gets the database's own words with the call's name.
func TestCacheFailureSaysWhatToDoAndLogsTheDetail(t *testing.T) {
	var log bytes.Buffer
	core := brokenCore(t, &log)
	_, err := NewAccount(core).Campaigns()
	if err == nil || err.Error() != client.ErrorWords {
		t.Fatalf("Campaigns() error %v; want %q", err, client.ErrorWords)
	}
	line := log.String()
	for _, want := range []string{`"level":"error"`, `"op":"Account.Campaigns"`, `no such table: campaigns`} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %s", line, want)
		}
	}
}

// TestUserWordsPassUnchanged: an error written for the volunteer reaches
// the window as it is, still the marked type (errors.As), and logs
// nothing.
func TestUserWordsPassUnchanged(t *testing.T) {
	var log bytes.Buffer
	core := brokenCore(t, &log)
	for name, err := range map[string]error{
		"SendReply": NewInbox(core).SendReply("t1", "hello", ""),
		"Skip":      NewTexting(core).Skip("a1", ""),
	} {
		var w *words.Error
		if !errors.As(err, &w) || err.Error() != w.Words {
			t.Errorf("%s: error %v (%T); want words for the volunteer", name, err, err)
		}
	}
	if err := NewInbox(core).SendReply("t1", "hello", ""); err == nil || err.Error() != "sign in first" {
		t.Errorf("SendReply signed out: %v; want \"sign in first\"", err)
	}
	if log.Len() != 0 {
		t.Errorf("words for the volunteer were logged: %s", log.String())
	}
}

// TestEveryBoundCallSaysWords calls every method the window can call with
// an error result, on a broken cache and an unreachable server: each error
// must be what client.Explain lets through unchanged (words, the server's
// or the offline error the window rewrites), never a technical message.
// A new bound method that forgets Core.said fails here.
func TestEveryBoundCallSaysWords(t *testing.T) {
	var log bytes.Buffer
	core := brokenCore(t, &log)
	shell := NewShell(ShellConfig{Log: zerolog.New(&log)})
	skip := map[string]bool{"Settings.ShowLogs": true} // opens a file manager
	errType := reflect.TypeOf((*error)(nil)).Elem()
	calls := 0
	for _, svc := range []any{NewAccount(core), NewTexting(core), NewInbox(core), NewAdmin(core),
		NewSettings(shell, SettingsInfo{ServerFromEnv: true, ActiveServer: "http://127.0.0.1:9"}, nil), &Events{}} {
		v := reflect.ValueOf(svc)
		for i := range v.NumMethod() {
			m, mt := v.Method(i), v.Type().Method(i)
			name := v.Elem().Type().Name() + "." + mt.Name
			if skip[name] || m.Type().NumOut() == 0 || m.Type().Out(m.Type().NumOut()-1) != errType {
				continue
			}
			args := make([]reflect.Value, m.Type().NumIn())
			for j := range args {
				args[j] = reflect.Zero(m.Type().In(j))
			}
			out := m.Call(args)
			calls++
			err, _ := out[len(out)-1].Interface().(error)
			if err == nil {
				continue
			}
			if shown, _ := client.Explain(err); shown.Error() != err.Error() {
				t.Errorf("%s: the window would read %q; want words (client.Explain says %q)", name, err, shown)
			}
		}
	}
	if calls < 40 {
		t.Fatalf("called %d bound methods; the services lost some?", calls)
	}
}
