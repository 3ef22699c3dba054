package account

import (
	"strings"
	"testing"
)

func TestValidEmail(t *testing.T) {
	for email, want := range map[string]bool{
		"a@b.org":                           true,
		"vera.volunteer@example.org":        true,
		"":                                  false,
		"vera@":                             false,
		"vera@localhost":                    false,
		"vera@example.org.":                 false,
		"vera@.example.org":                 false,
		"Vera <vera@example.org>":           false,
		"vera@example.org ":                 false,
		strings.Repeat("a", 250) + "@b.org": false, // past 254
	} {
		if got := ValidEmail(email); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", email, got, want)
		}
	}
}

func TestProblems(t *testing.T) {
	for _, c := range []struct{ name, got, want string }{
		{"empty name", NameProblem(""), "name is required"},
		{"long name", NameProblem(strings.Repeat("é", MaxName+1)), "name is longer than 80 characters"},
		{"name of MaxName runes", NameProblem(strings.Repeat("é", MaxName)), ""},
		// A name is filled into scripted texts: no second line, no link.
		{"line break", NameProblem("Vera.\n\nURGENT: your polling place moved"), "name must be one line, without tabs or line breaks"},
		{"tab", NameProblem("Vera\tSmith"), "name must be one line, without tabs or line breaks"},
		{"carriage return", NameProblem("Vera\rSmith"), "name must be one line, without tabs or line breaks"},
		{"link", NameProblem("Vera see http://evil.example"), "name cannot hold a web or email address"},
		{"www", NameProblem("Vera www.example"), "name cannot hold a web or email address"},
		{"domain", NameProblem("Vera at vote.org"), "name cannot hold a web or email address"},
		{"short link", NameProblem("Vera bit.ly"), "name cannot hold a web or email address"},
		{"domain in capitals", NameProblem("VERA.COM"), "name cannot hold a web or email address"},
		{"domain and path", NameProblem("Vera see vote.org/polls"), "name cannot hold a web or email address"},
		{"direction override", NameProblem("Vera \u202Eetov"), "name holds an invisible character (one that reverses text or has no width); type it again"},
		{"zero-width space", NameProblem("Ve\u200Bra"), "name holds an invisible character (one that reverses text or has no width); type it again"},
		{"pronouns", NameProblem("Alex Kim (they/them)"), ""},
		{"a slash between names", NameProblem("María José / Majo"), ""},
		{"zero-width non-joiner in a Persian name", NameProblem("مهر\u200cسا"), ""},
		{"email", NameProblem("vera@example"), "name cannot hold a web or email address"},
		// Names as people write them.
		{"initials", NameProblem("J.R.R. Tolkien"), ""},
		{"initial then a word", NameProblem("Mary J. Comstock"), ""},
		{"a word that starts like an ending", NameProblem("Dr. Orgel-Smith"), ""},
		{"apostrophe and accents", NameProblem("Siobhán O'Connor-Núñez"), ""},
		{"non-Latin", NameProblem("王小明"), ""},
		{"St.", NameProblem("Ana St. Coming"), ""},
		{"empty email", EmailProblem(""), "email address is required"},
		{"bad email", EmailProblem("vera@"), `"vera@" is not an email address (like name@example.org)`},
		{"good email", EmailProblem("vera@example.org"), ""},
		{"short password", PasswordLengthProblem("1234567"), "password must be at least 8 characters"},
		// Counted in characters, not bytes: 8 two-byte runes are enough.
		{"8 runes", PasswordLengthProblem(strings.Repeat("é", 8)), ""},
		{"73 bytes", PasswordLengthProblem(strings.Repeat("a", 73)), "password must be at most 72 bytes"},
		{"72 bytes", PasswordLengthProblem(strings.Repeat("a", 72)), ""},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestNormalEmail(t *testing.T) {
	if got := NormalEmail("  Vera@Example.ORG \n"); got != "vera@example.org" {
		t.Errorf("NormalEmail: %q", got)
	}
}

func TestCheckForms(t *testing.T) {
	if p := CheckSignUp("  Vera ", " Vera@Example.org ", "long enough"); p != (Problems{}) || p.Err() != nil {
		t.Errorf("good sign-up: %+v", p)
	}
	p := CheckSignUp(" ", "vera@", "short")
	if p.Name != "name is required" || p.Email != `"vera@" is not an email address (like name@example.org)` ||
		p.Password != "password must be at least 8 characters" {
		t.Errorf("bad sign-up: %+v", p)
	}
	if p.Err() == nil || p.Err().Error() != p.Name {
		t.Errorf("Err: %v, want the first problem", p.Err())
	}
	if p := CheckSignIn("vera@example.org", ""); p.Email != "" || p.Password != "password is required" || p.Name != "" {
		t.Errorf("sign-in without a password: %+v", p)
	}
	// Signing in asks for no password length: an old short one still works.
	if p := CheckSignIn("vera@example.org", "x"); p != (Problems{}) {
		t.Errorf("sign-in: %+v", p)
	}
}
