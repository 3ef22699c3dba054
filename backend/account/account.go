// Package account is the one home of the account rules: what a name, an
// email address and a new password must be. The server holds sign-ups and
// textbankd's users commands to them, the campaign file checker its
// admins' emails, and the app's client checks them before a round trip
// (the server checks again regardless). Each problem is worded once, for
// the API's field errors and the app alike.
package account

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/words"
)

const (
	MinPassword = 8
	// MaxPassword is in bytes: bcrypt ignores bytes past 72, and refusing
	// longer passwords keeps a user from believing the tail of theirs
	// matters.
	MaxPassword = 72
	// MaxName: a name goes into every text a volunteer sends
	// ({volunteer_name}); long enough for any person's name, too short
	// for a message of one's own.
	MaxName  = 80
	MaxEmail = 254
)

// NormalEmail is an email as stored and compared: trimmed, lower case.
func NormalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail accepts a bare address with a dotted domain ("a@b.org"), not
// "Name <a@b.org>", "a@localhost" or "a@b.org.".
func ValidEmail(email string) bool {
	if len(email) > MaxEmail {
		return false
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(email, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// NameProblem says what is wrong with a trimmed name, "" when nothing.
// A volunteer's name is filled into the scripted texts they send, so it is
// held to what a name is: one line, no web or email address. Otherwise a
// name could carry a message, or a link, into every text of an action
// whose organizer allowed prepared scripts only.
func NameProblem(name string) string {
	switch {
	case name == "":
		return "name is required"
	case utf8.RuneCountInString(name) > MaxName:
		return fmt.Sprintf("name is longer than %d characters", MaxName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "name must be one line, without tabs or line breaks"
	case strings.IndexFunc(name, hidden) >= 0:
		return "name holds an invisible character (one that reverses text or has no width); type it again"
	case looksLikeAddress(name):
		return "name cannot hold a web or email address"
	}
	return ""
}

// webAddress finds what a name is never written like: a link ("http://",
// "www."), an email's @, or a domain ("vote.org", "bit.ly"). A slash is
// no link: "Alex Kim (they/them)", "María José / Majo".
var webAddress = regexp.MustCompile(`(?i)://|www\.|@|[\p{L}\p{N}-]\.(com|org|net|info|io|co|us|ly|me|link|vote|app|site|xyz|gov|edu)\b`)

// OneLine is a name as texts carry it: on one line, spaces collapsed,
// without the invisible characters NameProblem refuses (a name saved
// before the rules cannot add lines to a text, or reverse its words).
func OneLine(name string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if hidden(r) {
			return -1
		}
		return r
	}, name)), " ")
}

// hidden are the format characters that change how a text reads without
// showing: direction overrides and isolates (a name could reverse the
// words after it in a text), zero-width spaces and the byte order mark.
// The zero-width joiner and non-joiner stay: names in Persian and Indic
// scripts, and emoji, are written with them.
func hidden(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true // direction marks, embeddings, overrides, isolates
	case r == 0x200B, r == 0x2060, r == 0xFEFF:
		return true // zero-width space, word joiner, byte order mark
	}
	return false
}

func looksLikeAddress(name string) bool { return webAddress.MatchString(name) }

// EmailProblem says what is wrong with a normalised email, "" when nothing.
func EmailProblem(email string) string {
	switch {
	case email == "":
		return "email address is required"
	case !ValidEmail(email):
		return fmt.Sprintf("%q is not an email address (like name@example.org)", email)
	}
	return ""
}

// PasswordLengthProblem says what is wrong with a new password's length,
// "" when nothing. (The server also refuses common and guessable ones.)
func PasswordLengthProblem(password string) string {
	switch {
	case utf8.RuneCountInString(password) < MinPassword:
		return fmt.Sprintf("password must be at least %d characters", MinPassword)
	case len(password) > MaxPassword:
		return fmt.Sprintf("password must be at most %d bytes", MaxPassword)
	}
	return ""
}

// Problems are what is wrong with a form's fields, each "" when nothing:
// the app shows each under its field before any round trip.
type Problems struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Err is the first problem as an error, nil when there is none.
func (p Problems) Err() error {
	for _, s := range []string{p.Name, p.Email, p.Password} {
		if s != "" {
			return words.New(s) // written for the volunteer: the window shows it
		}
	}
	return nil
}

// CheckSignUp checks a sign-up's fields as typed (it trims them).
func CheckSignUp(name, email, password string) Problems {
	return Problems{Name: NameProblem(strings.TrimSpace(name)), Email: EmailProblem(NormalEmail(email)),
		Password: PasswordLengthProblem(password)}
}

// PasswordMissing is a sign-in's words for an empty password.
const PasswordMissing = "password is required"

// CurrentPasswordMissing is a password change's words for an empty current
// password, the app's (before any round trip) and the server's.
const CurrentPasswordMissing = "enter your current password"

// CheckSignIn checks a sign-in's fields as typed: an address that cannot
// be anyone's is told at once; the password only has to be there.
func CheckSignIn(email, password string) Problems {
	p := Problems{Email: EmailProblem(NormalEmail(email))}
	if password == "" {
		p.Password = PasswordMissing
	}
	return p
}
