// Package joincode is the one home of the join code rule: exactly 6 ASCII
// digits, unique among active campaigns (the store enforces uniqueness).
// The server, the campaign file checker and the client all use it.
package joincode

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
)

// Len is the number of digits in a join code.
const Len = 6

// Valid reports whether code is exactly 6 ASCII digits, as stored.
func Valid(code string) bool {
	if len(code) != Len {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// Parse trims what a person typed around a join code and checks it,
// saying what is wrong in words a volunteer understands.
func Parse(raw string) (string, error) {
	code := strings.TrimSpace(raw)
	if Valid(code) {
		return code, nil
	}
	if code == "" {
		return "", fmt.Errorf("enter the join code your campaign gave you: %d digits, like 123456", Len)
	}
	if len(code) != Len {
		return "", fmt.Errorf("join code must be exactly %d digits, like 123456; %q has %d characters", Len, code, len([]rune(code)))
	}
	return "", fmt.Errorf("join code must be exactly %d digits, like 123456; %q has a character that is not a digit", Len, code)
}

// Unknown is the one sentence for a well-formed code that no active
// campaign has, wherever it shows: the app's join screen (capitalised) and
// every textbankd command. Callers add what to do next, which differs
// (a volunteer asks the organizer; an organizer runs campaign list).
func Unknown(code string) string {
	return "no active campaign has join code " + code
}

// Random draws a join code uniformly from 000000..999999; the caller
// checks it is unused.
func Random() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("draw a join code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}
