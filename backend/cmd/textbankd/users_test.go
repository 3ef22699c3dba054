package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// TestUsersAddPrompt: on a terminal the password is typed twice without
// echo (readSecret stands in for the terminal); a mismatch or nothing
// typed creates no account.
func TestUsersAddPrompt(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(seedCampaign(t), demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := server.NewOrganizer(server.OrganizerConfig{Store: st, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	const good = "a long walk to the polls 42"
	tests := []struct {
		name, email string
		typed       []string
		readErr     error
		want        string // in the error; "" for success
	}{
		{"differ", "differ@example.org", []string{good, good + "x"}, nil, "the two passwords differ"},
		{"nothing typed", "empty@example.org", []string{"", ""}, nil, "no password typed"},
		{"terminal gone", "gone@example.org", nil, errors.New("EOF"), "read the password: EOF"},
		{"typed twice", "pat@example.org", []string{good, good}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			typed := tc.typed
			c := &cli{stdin: strings.NewReader("from stdin, not used\n"), stdout: &out, stderr: &errOut,
				getenv: envOf(nil), org: org, opts: cliOpts{name: "Pat"},
				readSecret: func() ([]byte, error) {
					if tc.readErr != nil {
						return nil, tc.readErr
					}
					p := typed[0]
					typed = typed[1:]
					return []byte(p), nil
				}}
			err := runUsersAdd(ctx, c, []string{tc.email})
			users, lerr := org.ListUsers(ctx)
			if lerr != nil {
				t.Fatal(lerr)
			}
			created := false
			for _, u := range users {
				created = created || u.Email == tc.email
			}
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) || created {
					t.Fatalf("err %v, created %v; want %q and no account", err, created, tc.want)
				}
				return
			}
			if err != nil || !created || !strings.Contains(errOut.String(), "Password again: ") {
				t.Fatalf("err %v, created %v, prompts %q", err, created, errOut.String())
			}
			if strings.Contains(errOut.String()+out.String(), good) {
				t.Fatal("the password was echoed")
			}
		})
	}
}

// TestUsersAddPipeIsNotATerminal: a pipe on stdin is read as a line, never
// prompted for.
func TestUsersAddPipeIsNotATerminal(t *testing.T) {
	dir := seedCampaign(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = w.WriteString("a long walk to the polls 42\n"); w.Close() }()
	defer r.Close()
	var out, errOut bytes.Buffer
	code := runGroup(context.Background(), "users", []string{"add", "--name", "Lee", "lee@example.org"}, r, &out, &errOut,
		envOf(map[string]string{"TEXTBANK_DATA": dir}))
	if code != 0 || strings.Contains(errOut.String(), "Password") || !strings.Contains(out.String(), "lee@example.org") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// TestUsersPasswordAndSignOut: users password gives an account a new
// password and says how many sign-ins it ended; users sign-out ends them
// and keeps the password. A weak password or an unknown email exits 1,
// naming what was wrong, and changes nothing.
func TestUsersPasswordAndSignOut(t *testing.T) {
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "pat@example.org", "--name", "Pat"); code != 0 {
		t.Fatalf("users add: %d %s %s", code, out, errOut)
	}
	hashOf := func() string {
		st, err := store.Open(context.Background(), filepath.Join(dir, demo.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var h string
		err = st.View(context.Background(), func(tx store.Tx) error {
			u, err := tx.UserByEmail(context.Background(), "pat@example.org")
			h = u.PasswordHash
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	before := hashOf()
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"weak password", "password1234\n", []string{"password", "pat@example.org"}, "password"},
		// Said once: "password: password must be ..." said it twice.
		{"short password", "short\n", []string{"password", "pat@example.org"}, "users password: password must be at least 8 characters; the password was not changed"},
		{"nothing on stdin", "", []string{"password", "pat@example.org"}, "no password"},
		{"no such account", "a long walk to the polls 42\n", []string{"password", "nobody@example.org"}, "no account has email nobody@example.org"},
		{"sign-out of no account", "", []string{"sign-out", "nobody@example.org"}, "no account has email nobody@example.org"},
		{"no email", "", []string{"sign-out"}, "EMAIL"},
	} {
		code, out, errOut := runCLI(t, env, tc.stdin, append([]string{"users"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want a refusal naming %q", tc.name, code, out, errOut, tc.want)
		}
	}
	if hashOf() != before {
		t.Fatal("a refused command changed the password")
	}

	code, out, errOut := runCLI(t, env, "a long walk to the polls 42\n", "users", "password", "PAT@example.org")
	if code != 0 || out != "New password set for pat@example.org. pat@example.org was not signed in anywhere.\n" {
		t.Fatalf("users password: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	after := hashOf()
	if after == before || bcrypt.CompareHashAndPassword([]byte(after), []byte("a long walk to the polls 42")) != nil {
		t.Fatal("the new password was not stored")
	}
	code, out, errOut = runCLI(t, env, "", "users", "sign-out", "pat@example.org", "--json")
	var res struct {
		Email     string `json:"email"`
		SignedOut *int   `json:"signedOut"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Email != "pat@example.org" || res.SignedOut == nil || *res.SignedOut != 0 {
		t.Fatalf("users sign-out --json: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if hashOf() != after {
		t.Fatal("sign-out changed the password")
	}
}

// TestUsersSignOutAll: users sign-out --all --yes ends every sign-in of
// every account (the way out after moving a server from http:// to
// https://) and keeps the passwords; without --yes, or with an EMAIL as
// well, it refuses and ends nothing.
func TestUsersSignOutAll(t *testing.T) {
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	now := time.Now().UTC()
	tokens := map[string]string{"h1": "pat", "h2": "pat", "h3": "sam"} // token hash: user
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		for _, id := range []string{"pat", "sam", "lee"} {
			if err := tx.CreateUser(ctx, store.User{ID: id, Name: id, Email: id + "@example.org", PasswordHash: "h-" + id, CreatedAt: now}); err != nil {
				return err
			}
		}
		for hash, user := range tokens {
			if err := tx.CreateToken(ctx, hash, user, now); err != nil {
				return err
			}
		}
		return nil
	})
	left := func() int {
		t.Helper()
		n := 0
		withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
			for hash := range tokens {
				if _, err := tx.UserByToken(ctx, hash); err == nil {
					n++
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			return nil
		})
		return n
	}
	for _, tc := range []struct {
		args []string
		want string
		code int // 1: unconfirmed (yes_test.go); 2: a wrong command line
	}{
		// lee has no sign-in: the preview counts what --yes ends, as it says it.
		{[]string{"--all"}, "--all would end 3 sign-ins of 2 accounts; each must sign in again: add --yes", 1},
		{[]string{"--all", "--yes", "pat@example.org"}, "not both", 2},
		{[]string{"--yes", "pat@example.org"}, "--yes confirms --all", 2},
		{[]string{"pat@example.org", "sam@example.org"}, "want one EMAIL", 2},
	} {
		code, out, errOut := runCLI(t, env, "", append([]string{"users", "sign-out"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("users sign-out %v: exit %d, stdout %q, stderr %q; want exit %d naming %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
	}
	if n := left(); n != 3 {
		t.Fatalf("%d sign-ins left after refusals, want all 3", n)
	}
	code, out, errOut := runCLI(t, env, "", "users", "sign-out", "--all", "--yes")
	if code != 0 || out != "Ended 3 sign-ins of 2 accounts; each must sign in again.\n" {
		t.Fatalf("users sign-out --all --yes: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if n := left(); n != 0 {
		t.Fatalf("%d sign-ins left after --all --yes", n)
	}
	// Nobody signed in: nothing for --yes to confirm. It asked for --yes
	// all the same, and exited 1, to end nothing.
	code, out, errOut = runCLI(t, env, "", "users", "sign-out", "--all")
	if code != 0 || out != "No account was signed in anywhere; nothing ended.\n" || errOut != "" {
		t.Errorf("users sign-out --all with nobody signed in: exit %d, stdout %q, stderr %q; want exit 0 saying nobody was signed in", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "users", "sign-out", "--all", "--json")
	if code != 0 || strings.Join(strings.Fields(out), "") != `{"accounts":0,"signedOut":0}` {
		t.Errorf("users sign-out --all --json with nobody signed in: exit %d, stdout %q", code, out)
	}
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		u, err := tx.UserByEmail(ctx, "pat@example.org")
		if err == nil && u.PasswordHash != "h-pat" {
			t.Error("--all changed a password")
		}
		return err
	})
	// Again, with nobody signed in: nothing to end, said so (not "each
	// must sign in again" of no one).
	code, out, _ = runCLI(t, env, "", "users", "sign-out", "--all", "--yes")
	if code != 0 || out != "No account was signed in anywhere; nothing ended.\n" {
		t.Fatalf("again: exit %d, stdout %q", code, out)
	}
	code, out, _ = runCLI(t, env, "", "users", "sign-out", "--all", "--yes", "--json")
	if code != 0 || strings.Join(strings.Fields(out), "") != `{"accounts":0,"signedOut":0}` {
		t.Fatalf("again, --json: exit %d, stdout %q", code, out)
	}
}
