package script

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	known := append(StandardFields(), "polling_place")
	tests := []struct {
		name    string
		tmpl    string
		wantErr string // substring; "" means valid
	}{
		{"plain text", "Hi there, will you vote?", ""},
		{"standard field", "Hi {first_name}, I'm {volunteer_name}.", ""},
		{"fallback", "Hi {first_name|friend}!", ""},
		{"custom column", "Your polling place is {polling_place}.", ""},
		{"spaces around name and fallback", "Hi { first_name | friend }", ""},
		{"escaped braces", "Use {{braces}} freely {first_name}", ""},
		{"empty", "", "script is empty"},
		{"blank", "  \n\t ", "script is empty"},
		{"unknown field suggests", "Hi {frist_name}", "unknown merge field {frist_name}; known fields: first_name, last_name, full_name, volunteer_name, volunteer_first_name, zip, polling_place (did you mean {first_name}?)"},
		{"unknown field far from all", "Hi {shoe_size}", "unknown merge field {shoe_size}; known fields: first_name, last_name, full_name, volunteer_name, volunteer_first_name, zip, polling_place"},
		{"prefix of a known field", "Hi {first}", "(did you mean {first_name}?)"},
		{"several unknown", "{a} {b} {a}", "unknown merge fields {a}, {b};"},
		{"unclosed", "Hi {first_name", "character 4: '{' is never closed"},
		{"nested open", "Hi {first_{name}", "character 4: '{' is never closed"},
		{"stray close", "Hi first_name}", "character 14: '}' without a matching '{'"},
		{"empty name", "Hi {}", "character 4: empty merge field name"},
		{"empty name with fallback", "Hi {|friend}", "empty merge field name"},
		{"uppercase", "Hi {First_name}", "character 5: 'F' is not allowed in merge field name"},
		{"dash", "Hi {first-name}", "character 10: '-' is not allowed"},
		{"inner space", "Hi {first name}", "' ' is not allowed"},
		{"empty fallback", "Hi {first_name|}", "empty fallback"},
		{"blank fallback", "Hi {first_name|  }", "empty fallback"},
		{"position counts characters not bytes", "¡Hola {x-}", "character 9: '-'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.tmpl, known)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want nil", tt.tmpl, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate(%q) = %v, want error containing %q", tt.tmpl, err, tt.wantErr)
			}
		})
	}
}

func TestValidateErrorTypes(t *testing.T) {
	var se *SyntaxError
	if err := Validate("a {", nil); !errors.As(err, &se) || se.Pos != 3 {
		t.Fatalf("want *SyntaxError at 3, got %#v", err)
	}
	var ue *UnknownFieldError
	if err := Validate("{zip} {x}", []string{"zip", "zip"}); !errors.As(err, &ue) || !reflect.DeepEqual(ue.Fields, []string{"x"}) || !reflect.DeepEqual(ue.Known, []string{"zip"}) {
		t.Fatalf("want *UnknownFieldError{x} with deduplicated known, got %#v", err)
	}
	if err := Validate("{x}", nil); err == nil || !strings.Contains(err.Error(), "known fields: none") {
		t.Fatalf("no known fields: got %v", err)
	}
	if err := Validate("", nil); !errors.Is(err, ErrEmpty) {
		t.Fatalf("want ErrEmpty, got %v", err)
	}
}

func TestRender(t *testing.T) {
	vals := map[string]string{"first_name": "  Ana ", "volunteer_name": "Sam", "zip": "", "polling_place": "Lincoln High"}
	tests := []struct {
		name    string
		tmpl    string
		want    string
		wantErr string
	}{
		{"fields", "Hi {first_name}, I'm {volunteer_name}.", "Hi Ana, I'm Sam.", ""},
		{"value wins over fallback", "Hi {first_name|friend}", "Hi Ana", ""},
		{"missing uses fallback", "Hi {last_name|there}", "Hi there", ""},
		{"empty uses fallback", "Zip {zip|unknown}", "Zip unknown", ""},
		{"fallback is trimmed", "Hi {last_name|  there  }!", "Hi there!", ""},
		{"fallback may contain bar", "{last_name|a|b}", "a|b", ""},
		{"custom column", "Go to {polling_place}", "Go to Lincoln High", ""},
		{"escaped braces", "{{not a field}} {first_name}", "{not a field} Ana", ""},
		{"repeated field", "{first_name} {first_name}", "Ana Ana", ""},
		{"unicode literal", "¡Hola {first_name}! 🎉", "¡Hola Ana! 🎉", ""},
		{"missing no fallback", "Hi {last_name}", "", "no value and no fallback for merge field {last_name}"},
		{"blank no fallback", "Zip {zip}", "", "{zip}"},
		{"all missing named once", "{last_name} {zip} {last_name}", "", "merge field {last_name}, {zip}"},
		{"syntax error", "Hi {first_name", "", "never closed"},
		{"empty", " ", "", "script is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.tmpl, vals)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Render(%q) = %q, %v; want error containing %q", tt.tmpl, got, err, tt.wantErr)
				}
				if got != "" {
					t.Fatalf("Render returned text %q with an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Render(%q) = %q, %v; want %q", tt.tmpl, got, err, tt.want)
			}
		})
	}
}

func TestRenderNilValues(t *testing.T) {
	got, err := Render("Hi {first_name|friend}", nil)
	if err != nil || got != "Hi friend" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		name    string
		tmpl    string
		want    []string
		wantErr bool
	}{
		{"none", "hello", nil, false},
		{"empty", "", nil, false},
		{"order of first use, once each", "{b} {a|x} {b} {{c}}", []string{"b", "a"}, false},
		{"bad", "{B}", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Fields(tt.tmpl)
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Fields(%q) = %v, %v; want %v (err %v)", tt.tmpl, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestStandardFieldsIsACopy(t *testing.T) {
	StandardFields()[0] = "changed"
	if StandardFields()[0] != "first_name" {
		t.Fatal("StandardFields shares its slice")
	}
}

// The two lists differ in order only (each keeps the order its messages
// show): a field added to one must be added to the other.
func TestStandardFieldsAreContactAndVolunteerFields(t *testing.T) {
	want := append(ContactFields(), VolunteerName, VolunteerFirstName)
	got := StandardFields()
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("StandardFields %v; ContactFields and the volunteer's %v", got, want)
	}
}

// Pieces split a script as Render reads it: literal braces stay text, each
// field comes whole, named in words, with its fallback.
func TestPieces(t *testing.T) {
	got, err := Pieces("Hi {first_name|friend}, {{not a field}} near {polling_place} in { zip }")
	if err != nil {
		t.Fatal(err)
	}
	want := []Piece{
		{Text: "Hi "}, {Field: "first_name", Label: "First name", Fallback: "friend"},
		{Text: ", {not a field} near "}, {Field: "polling_place", Label: "Polling place"},
		{Text: " in "}, {Field: "zip", Label: "ZIP"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Pieces = %+v, want %+v", got, want)
	}
	if _, err := Pieces("Hi {first_name"); err == nil {
		t.Error("Pieces of an unclosed field: no error, want the syntax error Validate gives")
	}
}
