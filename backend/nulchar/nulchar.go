// Package nulchar is the one rule for U+0000 (NUL) in text. PostgreSQL cannot
// hold it in a text column (SQLSTATE 22021, even as a query parameter),
// while SQLite stores it; so text with a NUL must never reach a store, or
// one engine fails where the other does not. Text a person sends us (a
// request, a campaign file, a contact list) holding one is refused with
// Refusal, naming where it is; text a provider hands us (an inbound reply,
// a status callback) is kept with each NUL replaced (Replace), since
// refusing it would lose what a contact said.
//
// (Named nulchar, not nul: NUL is a reserved file name on Windows, and Go
// refuses it as a package path.)
package nulchar

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Refusal ends the message that names a field holding a NUL: "name
// contains a NUL ...", "line 4, column "Notes": contains a NUL ...".
const Refusal = "contains a NUL character (U+0000), which Textbank cannot store; remove it"

// In says whether s holds a NUL.
func In(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// Replace gives s with each NUL replaced by U+FFFD, the character that
// stands for one that could not be kept.
func Replace(s string) string {
	if !In(s) {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// Path finds the first string holding a NUL in v, a value decoded from
// JSON, and names it as the JSON does: "name", "mutations[2].body",
// "values.notes"; a map key is named by its map ("values"). Map entries
// are visited in key order, so the answer does not change from run to
// run. ok is false when v holds no NUL. Byte slices (json.RawMessage) are
// data, not text, and are not looked into.
func Path(v any) (path string, ok bool) {
	return find(reflect.ValueOf(v), "")
}

func find(v reflect.Value, at string) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return at, In(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return find(v.Elem(), at)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			// An embedded struct's fields are its parent's in JSON: it adds
			// no name.
			if name == "" && !sf.Anonymous {
				name = sf.Name
			}
			if p, ok := find(v.Field(i), join(at, name)); ok {
				return p, true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "", false
		}
		for i := range v.Len() {
			if p, ok := find(v.Index(i), fmt.Sprintf("%s[%d]", at, i)); ok {
				return p, true
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if _, ok := find(k, at); ok {
				return at, true
			}
			if p, ok := find(v.MapIndex(k), join(at, fmt.Sprint(k))); ok {
				return p, true
			}
		}
	}
	return "", false
}

func join(at, name string) string {
	switch {
	case at == "":
		return name
	case name == "":
		return at
	}
	return at + "." + name
}
