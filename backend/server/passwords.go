package server

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the set of passwords refused because attackers try
// them first.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}()

// passwordProblem says why a password of at least account.MinPassword characters
// is still not good enough for email's account, or "" when it is.
func passwordProblem(password, email string) string {
	p := strings.ToLower(password)
	if commonPasswords[p] {
		return "this password is on the list of the most common passwords, which attackers try first; choose another"
	}
	local, _, _ := strings.Cut(email, "@")
	if email != "" && strings.Contains(p, email) {
		return "the password must not contain your email address; choose another"
	}
	// Said apart: "vera.volunteer rocks" holds no email address, and a
	// refusal saying it did left the person looking for one.
	if len(local) >= 4 && strings.Contains(p, local) {
		return fmt.Sprintf("the password must not contain %q, the part of your email address before the @; choose another", local)
	}
	return ""
}
