package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// TestUsersRename: users rename gives an account a new name and says from
// what to what; a missing or bad name, or an email no account has, is
// refused with nothing changed.
func TestUsersRename(t *testing.T) {
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "pat@example.org", "--name", "pat"); code != 0 {
		t.Fatalf("users add: %d %s %s", code, out, errOut)
	}
	// nameOf: the account's name, and the kinds of its sync feed.
	nameOf := func() (string, []string) {
		st, err := store.Open(context.Background(), filepath.Join(dir, demo.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var name string
		var kinds []string
		err = st.View(context.Background(), func(tx store.Tx) error {
			u, err := tx.UserByEmail(context.Background(), "pat@example.org")
			if err != nil {
				return err
			}
			name = u.Name
			rows, err := tx.FeedAfter(context.Background(), u.ID, 0, 100)
			for _, r := range rows {
				kinds = append(kinds, r.Kind)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return name, kinds
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no name", []string{"pat@example.org"}, "--name"},
		{"blank name", []string{"pat@example.org", "--name", "   "}, "--name"},
		{"too long", []string{"pat@example.org", "--name", strings.Repeat("x", 300)}, "the name was not changed"},
		{"no such account", []string{"nobody@example.org", "--name", "Nobody"}, "no account has email nobody@example.org"},
		{"no email", []string{"--name", "Pat"}, "EMAIL"},
	} {
		code, out, errOut := runCLI(t, env, "", append([]string{"users", "rename"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want a refusal naming %q", tc.name, code, out, errOut, tc.want)
		}
	}
	if got, feed := nameOf(); got != "pat" || len(feed) != 0 {
		t.Fatalf("a refused rename changed the name to %q, told the account's computers %v", got, feed)
	}
	code, out, errOut := runCLI(t, env, "", "users", "rename", "PAT@example.org", "--name", " Pat Smith ")
	if code != 0 || out != "Renamed pat@example.org from \"pat\" to \"Pat Smith\": the texts they send from now on carry the new name.\n" {
		t.Fatalf("users rename: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// The account's computers hear of it in their sync feed (a running
	// server wakes their streams: the file changed).
	if got, feed := nameOf(); got != "Pat Smith" || len(feed) != 1 || feed[0] != api.KindProfile {
		t.Fatalf("name after the rename %q, feed %v; want the new name, and a profile in the feed", got, feed)
	}
	code, out, _ = runCLI(t, env, "", "users", "rename", "pat@example.org", "--name", "Patricia Smith", "--json")
	var res map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res["name"] != "Patricia Smith" || res["previousName"] != "Pat Smith" {
		t.Fatalf("users rename --json: exit %d, %q", code, out)
	}
	// The name it has already: said so, and its computers are not told of
	// a change (it said 'Renamed ... from "Patricia Smith" to "Patricia
	// Smith"').
	_, before := nameOf()
	code, out, errOut = runCLI(t, env, "", "users", "rename", "pat@example.org", "--name", "Patricia Smith ")
	if code != 0 || out != "pat@example.org is named \"Patricia Smith\" already; nothing changed.\n" {
		t.Fatalf("users rename to the same name: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, after := nameOf(); len(after) != len(before) {
		t.Fatalf("a rename to the same name told the account's computers: feed %v, was %v", after, before)
	}
	// A name refused says what is wrong once ("name: name is longer ..."
	// said it twice).
	_, _, errOut = runCLI(t, env, "", "users", "rename", "pat@example.org", "--name", strings.Repeat("x", 300))
	if !strings.Contains(errOut, "rename: name is longer than") {
		t.Fatalf("a long name: stderr %q", errOut)
	}
}
