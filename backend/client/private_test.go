package client_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestCacheIsPrivateAndSignOutLeavesNoContact: signed in with conversations
// cached, every file the app keeps in its data dir is readable by the user
// alone (dirs 0700, files 0600: the WAL and shared memory too); after sign
// out, no byte of any file there holds a contact's name or number.
func TestCacheIsPrivateAndSignOutLeavesNoContact(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "Textbank")
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	var threads []client.ThreadSummary
	eventually(t, "the demo's conversations synced", 10*time.Second, func() bool {
		cs, err := c.Campaigns(ctx)
		if err != nil || len(cs) == 0 {
			return false
		}
		threads, _ = c.Threads(ctx, client.FilterAll, cs[0].ID, "", 0, 50)
		return len(threads) > 0
	})
	var secrets [][]byte
	for _, th := range threads {
		secrets = append(secrets, []byte(th.ContactPhone))
		if len(th.ContactName) >= 4 {
			secrets = append(secrets, []byte(th.ContactName))
		}
	}
	found := func() []string {
		var out []string
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, s := range secrets {
				if bytes.Contains(raw, s) {
					out = append(out, filepath.Base(p)+": "+string(s))
				}
			}
			return nil
		})
		return out
	}
	if len(found()) == 0 {
		t.Fatal("no contact found in the cache while signed in; the test would see nothing")
	}
	if runtime.GOOS != "windows" {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			want := fs.FileMode(0o600)
			if d.IsDir() {
				want = 0o700
			}
			if got := info.Mode().Perm(); got != want {
				t.Errorf("%s is %o, want %o", p, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if left := found(); len(left) > 0 {
		t.Fatalf("after sign out the data dir still holds %v", left)
	}
}
