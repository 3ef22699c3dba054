package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// insertActions is an insert of rows in the server's actions table, with its
// column list if it has one.
var insertActions = regexp.MustCompile(`(?is)insert\s+into\s+actions\b\s*(\([^)]*\))?`)

// TestActionInsertsNameAllowFreeText: every insert of an action, in code,
// migrations and fixtures alike, names allow_free_text. The column's
// default (0001_init.sql) is 1, free text allowed: an insert that left it
// out would make an action that allows what its organizer may have meant
// to forbid. Changing the default instead needs a rebuild of actions on
// SQLite (a default cannot be altered), a table half the schema refers
// to; naming the column everywhere makes the default unused.
func TestActionInsertsNameAllowFreeText(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module's root is not %s: %v", root, err)
	}
	var found int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "frontend", "third_party":
				return filepath.SkipDir
			}
			// The app's own cache has an actions table of its own.
			if filepath.ToSlash(path) == "../../../backend/cache" {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".go" && ext != ".sql" {
			return nil
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range insertActions.FindAllSubmatch(text, -1) {
			found++
			if !strings.Contains(string(m[1]), "allow_free_text") {
				t.Errorf("%s: %q does not name allow_free_text", path, strings.Join(strings.Fields(string(m[0])), " "))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 2 { // CreateAction on each engine
		t.Errorf("found %d inserts into actions, want at least the engines' two", found)
	}
}
