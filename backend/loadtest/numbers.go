package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/store"
)

// A run's campaign stays in the database it ran on (a --target's, a --db),
// so its numbers must belong to nobody: North American numbers NPA-555-0100
// to 0199 are reserved for fiction in every area code. Of each area code's
// hundred, contacts take 0100-0189 and sending numbers 0190-0199, so that
// no contact shares a number with a sending number.
const (
	contactLines = 90 // 555-0100 .. 555-0189
	sendingLines = 10 // 555-0190 .. 555-0199
)

// fictionalNPAs are the area codes in which +1 NPA 555 01xx is a valid
// number to the phone package (as an imported list's would be): the
// libphonenumber metadata knows some 450.
var fictionalNPAs = sync.OnceValue(func() []int {
	var npas []int
	for npa := 200; npa <= 999; npa++ {
		e := fmt.Sprintf("+1%03d5550100", npa)
		if got, err := phone.Normalize(e, ""); err == nil && got == e {
			npas = append(npas, npa)
		}
	}
	return npas
})

// fictionalContacts is how many contacts get a 555-01xx number.
func fictionalContacts() int { return len(fictionalNPAs()) * contactLines }

// contactPhone is the number of the run's i-th contact: a fictional
// 555-01xx number for the first fictionalContacts(); past them (a long run
// seeds hundreds of thousands), a number whose exchange starts with 1,
// which the numbering plan never assigns (NXX is [2-9]XX): no one's either,
// though the phone package would not import it.
func contactPhone(i int) string {
	npas := fictionalNPAs()
	if i < fictionalContacts() {
		return fmt.Sprintf("+1%03d55501%02d", npas[i/contactLines], i%contactLines)
	}
	i -= fictionalContacts()
	return fmt.Sprintf("+1%03d1%06d", npas[i%len(npas)], i/len(npas))
}

// sendingPhones picks n fictional sending numbers (555-0190 to 0199) no
// campaign in the database has: numbers are unique across campaigns, and
// an earlier run's campaign keeps its own.
func sendingPhones(ctx context.Context, tx store.Tx, n int) ([]string, error) {
	npas := fictionalNPAs()
	space := len(npas) * sendingLines
	picked := map[string]bool{}
	var out []string
	for try := 0; len(out) < n; try++ {
		if try > 4*space {
			return nil, fmt.Errorf("every fictional sending number (+1 NPA 555-0190 to 0199, %d) is taken by earlier runs' campaigns", space)
		}
		k := rand.IntN(space)
		p := fmt.Sprintf("+1%03d55501%02d", npas[k/sendingLines], contactLines+k%sendingLines)
		if picked[p] {
			continue
		}
		if _, err := tx.SendingNumberCampaign(ctx, p); !errors.Is(err, store.ErrNotFound) {
			if err != nil {
				return nil, fmt.Errorf("sending number %s: %w", p, err)
			}
			continue // an earlier run's
		}
		picked[p] = true
		out = append(out, p)
	}
	return out, nil
}
