package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// decodeRefusal words a body that is JSON but not the request's shape:
// Go's own message ("cannot unmarshal number into Go struct field
// SignupRequest.name of type string") blames the syntax and names our
// types, not what the sender wrote. nil for any other error.
func decodeRefusal(err error) *httpError {
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te) && te.Field == "":
		return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeBadRequest, "",
			"request body must be a JSON object, not %s", givenKind(te.Value))}
	case errors.As(err, &te):
		if t := elemType(te.Type); isInt(t) && strings.HasPrefix(te.Value, "number ") && !strings.ContainsAny(te.Value, ".eE") {
			return badField(te.Field, "%s is %s, too large or too small", te.Field, strings.TrimPrefix(te.Value, "number "))
		}
		return badField(te.Field, "%s must be %s, not %s", te.Field, wantedKind(te.Type), givenKind(te.Value))
	case errors.As(err, &pe):
		// encoding/json does not say which field a time's own decoder
		// refused; the value and the form name it well enough.
		return badField("", "%q is not a time: write times as RFC 3339, like 2026-03-10T16:00:00Z", pe.Value)
	}
	return nil
}

// syntaxWords says what a body that is not JSON has where it stops being
// JSON, and at which byte; Go's own words ("looking for beginning of
// value") describe its parser, not the body.
func syntaxWords(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends before its value does (a }, ] or \" missing)"
	case errors.As(err, &se):
		return fmt.Sprintf("%s at byte %d", syntaxWhat(se.Error()), se.Offset)
	}
	return "it could not be read"
}

// syntaxWhat turns encoding/json's "invalid character 'x' looking for
// beginning of value" into "unexpected 'x'"; its other messages pass.
func syntaxWhat(msg string) string {
	// The character is quoted, and may be a space or a quote: "' '", "'\\''".
	if rest, ok := strings.CutPrefix(msg, "invalid character '"); ok && rest != "" {
		if i := strings.Index(rest[1:], "' "); i >= 0 {
			return "unexpected '" + rest[:i+2]
		}
	}
	return msg
}

func elemType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func isInt(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// wantedKind is what a field of type t takes, in JSON's words.
func wantedKind(t reflect.Type) string {
	t = elemType(t)
	switch {
	case t == nil:
		return "another kind of value"
	case t == reflect.TypeOf(time.Time{}):
		return "a time like 2026-03-10T16:00:00Z"
	case isInt(t):
		return "a whole number"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another kind of value"
}

// givenKind words encoding/json's name for the value it found: "string",
// "number", "number 1.5", "array", "object", "bool".
func givenKind(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "bool":
		return "true or false"
	}
	return v
}
