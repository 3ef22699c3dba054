package sync

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

// TestFitBody: an outbox of fifty reports at the limits (long notes, many
// text fields, in characters JSON escapes) goes in several pushes, each
// within the server's body limit, in order, none left out; small
// mutations go fifty at a time as before.
func TestFitBody(t *testing.T) {
	big := make([]api.Mutation, 50)
	for i := range big {
		values := map[string]string{report.Notes: strings.Repeat("<", report.MaxNotes)}
		for f := 0; f < 20; f++ {
			values[string(rune('a'+f))+"_field"] = strings.Repeat("&", report.MaxValue)
		}
		big[i] = api.Mutation{ID: string(rune('A' + i)), Type: api.MutReport, Values: values}
	}
	if whole, _ := json.Marshal(api.MutationsRequest{Mutations: big}); len(whole) <= api.MaxRequestBody {
		t.Fatalf("setup: the outbox encodes to %d bytes, within the server's %d", len(whole), api.MaxRequestBody)
	}
	var pushes int
	for rest := big; len(rest) > 0; pushes++ {
		page := fitBody(rest, pushBytes)
		if len(page) == 0 || page[0].ID != rest[0].ID {
			t.Fatalf("push %d: %d mutations, starting at %q; want the oldest first", pushes, len(page), page[0].ID)
		}
		if body, _ := json.Marshal(api.MutationsRequest{Mutations: page}); len(body) > api.MaxRequestBody {
			t.Fatalf("push %d: %d bytes, past the server's %d", pushes, len(body), api.MaxRequestBody)
		}
		rest = rest[len(page):]
	}
	if pushes < 2 {
		t.Fatalf("%d pushes", pushes)
	}
	small := make([]api.Mutation, 50)
	for i := range small {
		small[i] = api.Mutation{ID: "m", Type: api.MutRead}
	}
	if n := len(fitBody(small, pushBytes)); n != 50 {
		t.Fatalf("small mutations: %d in a push, want 50", n)
	}
	huge := []api.Mutation{{ID: "x", Body: strings.Repeat("<", pushBytes)}}
	if n := len(fitBody(huge, pushBytes)); n != 1 {
		t.Fatalf("one mutation past the budget: %d in a push, want it alone", n)
	}
}
