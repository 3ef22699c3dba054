package script

import (
	"strings"
	"testing"
)

var seeds = []string{
	"", "Hi {first_name}", "Hi {first_name|friend}", "{{x}}", "{", "}", "{}", "{|}", "{a|b|c}",
	"{ a }", "¡{é}", "{a}{b}{{", "}}{{}}", "{a|}", "\xff{a}", "{a\n}", "{a|{b}}",
}

func FuzzValidate(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		err := Validate(tmpl, StandardFields())
		if _, ferr := Fields(tmpl); ferr != nil && err == nil {
			t.Fatalf("Fields failed (%v) but Validate passed %q", ferr, tmpl)
		}
	})
}

func FuzzRender(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, "Ana")
	}
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		_, _ = Render(tmpl, map[string]string{"first_name": value})
		fields, err := Fields(tmpl)
		if err != nil || Validate(tmpl, fields) != nil {
			return
		}
		vals := make(map[string]string, len(fields))
		for _, f := range fields {
			vals[f] = "v"
		}
		out, err := Render(tmpl, vals)
		if err != nil {
			t.Fatalf("Render(%q) with every value present: %v", tmpl, err)
		}
		// Every '{' in the output must come from a literal "{{".
		if got, want := strings.Count(out, "{"), literalOpens(tmpl); got != want {
			t.Fatalf("Render(%q) = %q has %d '{', want %d from {{", tmpl, out, got, want)
		}
	})
}

// literalOpens counts escaped "{{" pairs the way a left-to-right scan sees
// them, independently of the parser.
func literalOpens(tmpl string) int {
	n := 0
	for i := 0; i < len(tmpl); i++ {
		switch {
		case strings.HasPrefix(tmpl[i:], "{{"):
			n++
			i++
		case strings.HasPrefix(tmpl[i:], "}}"):
			i++
		case tmpl[i] == '{':
			i += strings.IndexByte(tmpl[i:], '}') // valid template: a field always closes
		}
	}
	return n
}
