package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/contactcsv"
)

// A contacts answer stops at the answer budget, in the order the ids were
// asked, and says how many it covered (Answered): asking again for the
// rest brings every contact once, each with its columns; a budget smaller
// than any contact still answers one id a request.
func TestContactsAnswerEndsAtItsBudget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cols := make([]string, 20)
	for i := range cols {
		cols[i] = fmt.Sprintf("note_%02d", i)
	}
	fields := func(i int) map[string]string { // some 10 KB a contact
		m := map[string]string{}
		for j, col := range cols {
			m[col] = strings.Repeat(string(rune('a'+(i+j)%26)), contactcsv.MaxValue)
		}
		return m
	}
	_, c, _, b := f.texting("wide", campaignOpts{batch: 8, contacts: 8, numbers: 1, fields: fields, shown: cols})
	var ids []string
	for _, a := range b.Assigned {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		ids = append(ids, a.ContactID)
	}
	f.drain()

	whole, err := c.Contacts(ctx, ids)
	if err != nil || whole.Answered != 0 || len(whole.Contacts) != len(ids) {
		t.Fatalf("under the default budget: %d contacts, answered %d, %v; want all %d", len(whole.Contacts), whole.Answered, err, len(ids))
	}
	for _, tc := range []struct{ budget, minAsks int }{{25_000, 3}, {1, len(ids)}} {
		t.Run(fmt.Sprintf("budget %d", tc.budget), func(t *testing.T) {
			f.srv.SetSyncPageBytes(tc.budget)
			t.Cleanup(func() { f.srv.SetSyncPageBytes(0) })
			got, asks := map[string]int{}, 0
			for rest := ids; len(rest) > 0; asks++ {
				resp, err := c.Contacts(ctx, rest)
				if err != nil {
					t.Fatal(err)
				}
				n := len(rest)
				if resp.Answered > 0 {
					n = resp.Answered
				}
				if n < 1 || n > len(rest) || len(resp.Contacts) != n {
					t.Fatalf("ask %d of %d ids: answered %d with %d contacts", asks, len(rest), resp.Answered, len(resp.Contacts))
				}
				for _, a := range resp.Contacts {
					got[a.ContactID]++
					if len(a.Fields) < len(cols) {
						t.Errorf("contact %s with %d columns, want its %d", a.ContactID, len(a.Fields), len(cols))
					}
				}
				for _, id := range rest[:n] {
					if got[id] != 1 {
						t.Errorf("contact %s answered %d times among the ids answered", id, got[id])
					}
				}
				rest = rest[n:]
			}
			if asks < tc.minAsks || len(got) != len(ids) {
				t.Errorf("%d asks brought %d contacts; want at least %d asks and all %d", asks, len(got), tc.minAsks, len(ids))
			}
		})
	}
}
