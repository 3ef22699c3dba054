package loadtest

import (
	"regexp"
	"testing"

	"github.com/textbank/textbank/backend/phone"
)

// TestContactPhonesFictional: the run's contacts (left in a target's
// database) get NPA-555-0100..0189, valid to the phone package, each once;
// past those, numbers with an exchange the numbering plan never assigns.
func TestContactPhonesFictional(t *testing.T) {
	n := fictionalContacts()
	if n < 40000 {
		t.Fatalf("only %d fictional contact numbers", n)
	}
	fiction := regexp.MustCompile(`^\+1[2-9]\d\d55501[0-8]\d$`)
	unassigned := regexp.MustCompile(`^\+1[2-9]\d\d1\d{6}$`)
	seen := map[string]bool{}
	for i := range n + 5000 {
		p := contactPhone(i)
		if seen[p] {
			t.Fatalf("contact %d: %s repeated", i, p)
		}
		seen[p] = true
		if i < n {
			if !fiction.MatchString(p) {
				t.Fatalf("contact %d: %s is not 555-0100..0189", i, p)
			}
			if got, err := phone.Normalize(p, ""); err != nil || got != p {
				t.Fatalf("contact %d: %s: phone package says %q, %v", i, p, got, err)
			}
		} else if !unassigned.MatchString(p) {
			t.Fatalf("contact %d: %s has an assignable exchange", i, p)
		}
	}
}
