package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
)

// TestFrontendUnionsMatchGo: Wails generates TypeScript for Go's structs,
// not for sets of string constants, so the frontend spells some of Go's
// sets by hand (frontend/src/backend.ts). Each must be Go's set exactly; a
// drift otherwise shows only in the browser (a filter never counted, a
// block reason the server refuses, a busy notice never shown).
func TestFrontendUnionsMatchGo(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/backend.ts")
	if err != nil {
		t.Fatal(err)
	}
	ts := string(src)
	filters := make([]string, len(inbox.Filters))
	for i, f := range inbox.Filters {
		filters[i] = string(f)
	}
	for _, c := range []struct {
		union string
		goSet []string
		where string
	}{
		{"FilterName", filters, "inbox.Filters"},
		{"BlockReason", api.BlockReasons, "api.BlockReasons"},
		{"BusyCall", goConsts(t, ".", "Call"), "app's Call* constants"},
		{"Theme", goConsts(t, "../backend/prefs", "Theme"), "prefs' Theme* constants"},
		{"Connection", goConsts(t, "../backend/client", "Connection"), "client's Connection* constants"},
	} {
		got := tsUnion(t, ts, c.union)
		if !slices.Equal(sorted(got), sorted(c.goSet)) {
			t.Errorf("backend.ts's %s is %q; %s are %q", c.union, got, c.where, c.goSet)
		}
	}
	// Pause takes "off" and what notify.PauseUntil reads; it lists none.
	for _, choice := range tsUnion(t, ts, "PauseChoice") {
		if _, err := notify.PauseUntil(time.Now(), choice); err != nil && choice != prefs.NotifyOff {
			t.Errorf("backend.ts's PauseChoice %q is refused by Shell.Pause: %v", choice, err)
		}
	}
	// InboxTarget is written by hand too: its keys, optional where Go omits them.
	want := map[string]bool{}
	typ := reflect.TypeFor[InboxTarget]()
	for i := range typ.NumField() {
		name, opts, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		want[name] = opts == "omitempty"
	}
	m := regexp.MustCompile(`export type InboxTarget = \{([^}]*)\}`).FindStringSubmatch(ts)
	if m == nil {
		t.Fatal("backend.ts has no InboxTarget")
	}
	got := map[string]bool{}
	for _, f := range strings.Split(m[1], ";") {
		if name, _, ok := strings.Cut(strings.TrimSpace(f), ":"); ok {
			got[strings.TrimSuffix(name, "?")] = strings.HasSuffix(name, "?")
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("backend.ts's InboxTarget keys (true: optional) %v; app.InboxTarget's %v", got, want)
	}
}

// tsUnion is the string literals of `export type name = 'a' | 'b';`.
func tsUnion(t *testing.T, ts, name string) []string {
	t.Helper()
	m := regexp.MustCompile(`export type ` + name + ` = ([^;]+);`).FindStringSubmatch(ts)
	if m == nil {
		t.Fatalf("backend.ts has no union %s", name)
	}
	var out []string
	for _, part := range strings.Split(m[1], "|") {
		s := strings.TrimSpace(part)
		if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
			t.Fatalf("backend.ts's %s has %q, not a string literal", name, s)
		}
		out = append(out, s[1:len(s)-1])
	}
	return out
}

// goConsts is the values of the string constants of the Go package in dir
// whose names start with prefix (tests left out): read from the source, so
// a constant added is in the set without a list to update.
func goConsts(t *testing.T, dir, prefix string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !strings.HasPrefix(n.Name, prefix) || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						out = append(out, v)
					}
				}
			}
		}
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
