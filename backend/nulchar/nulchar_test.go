package nulchar_test

import (
	"encoding/json"
	"testing"

	"github.com/textbank/textbank/backend/nulchar"
)

type inner struct {
	Note string `json:"note,omitempty"`
}

type Embedded struct {
	Flat string `json:"flat"`
}

type outer struct {
	Embedded
	Name    string            `json:"name"`
	Plain   string            // no tag: JSON names it Plain
	Skipped string            `json:"-"`
	Items   []inner           `json:"items"`
	Ptr     *inner            `json:"ptr"`
	Values  map[string]string `json:"values"`
	Raw     json.RawMessage   `json:"raw"`
	Any     any               `json:"any"`
	hidden  string
}

func TestPath(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
		ok   bool
	}{
		{"none", outer{Name: "ada", Items: []inner{{Note: "x"}}, Values: map[string]string{"a": "b"}}, "", false},
		{"field", outer{Name: "a\x00"}, "name", true},
		{"untagged field", outer{Plain: "\x00"}, "Plain", true},
		{"json:\"-\" is not read", outer{Skipped: "\x00"}, "", false},
		{"unexported is not read", outer{hidden: "\x00"}, "", false},
		{"embedded", outer{Embedded: Embedded{Flat: "\x00"}}, "flat", true},
		{"slice element", outer{Items: []inner{{}, {Note: "\x00"}}}, "items[1].note", true},
		{"pointer", &outer{Ptr: &inner{Note: "\x00"}}, "ptr.note", true},
		{"map value", outer{Values: map[string]string{"ok": "", "notes": "a\x00b"}}, "values.notes", true},
		{"map key", outer{Values: map[string]string{"k\x00": "v"}}, "values", true},
		{"first in key order", outer{Values: map[string]string{"b": "\x00", "a": "\x00"}}, "values.a", true},
		{"raw bytes are data", outer{Raw: json.RawMessage("\"\x00\"")}, "", false},
		{"interface", outer{Any: map[string]any{"x": []any{"\x00"}}}, "any.x[0]", true},
		{"nil pointer", outer{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := nulchar.Path(tt.v)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("Path = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestReplace(t *testing.T) {
	for in, want := range map[string]string{"": "", "plain": "plain", "a\x00b\x00": "a\uFFFDb\uFFFD"} {
		if got := nulchar.Replace(in); got != want {
			t.Errorf("Replace(%q) = %q, want %q", in, got, want)
		}
		if nulchar.In(nulchar.Replace(in)) {
			t.Errorf("Replace(%q) still holds a NUL", in)
		}
	}
}
