package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/contactcsv"
)

// contactFields is contact i's columns as o.fields gives them (none if nil).
func (o campaignOpts) contactFields(i int) map[string]string {
	if o.fields == nil {
		return map[string]string{}
	}
	return o.fields(i)
}

// A feed whose changes pass the page's byte budget comes in several pages
// that add up to the one page a large budget gives: nothing lost, no change
// sent twice at one version, the same cursor at the end. Each page keeps
// within the budget unless it is one version alone; with a budget smaller
// than any change, every change still comes, one version a page.
func TestSyncPageEndsAtItsBudget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cols := make([]string, 20)
	for i := range cols {
		cols[i] = fmt.Sprintf("note_%02d", i)
	}
	// 20 shown columns of the longest value an import takes: an
	// assignment of some 10 KB.
	fields := func(i int) map[string]string {
		m := map[string]string{}
		for j, col := range cols {
			m[col] = strings.Repeat(string(rune('a'+(i+j)%26)), contactcsv.MaxValue)
		}
		return m
	}
	_, c, _, b := f.texting("wide", campaignOpts{batch: 12, contacts: 12, numbers: 1, fields: fields, shown: cols})
	for _, a := range b.Assigned[:2] { // first texts: three changes at one version
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
	}
	f.drain()

	one, err := c.Sync(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if one.More {
		t.Fatalf("a page of %d bytes ended early under api.SyncPageBytes", one.JSONSize())
	}
	whole := syncState{}
	whole.apply(one.Changes)
	var a api.Assignment
	mustJSON(t, whole[key(api.KindAssignment, b.Assigned[5].ContactID)].Data, &a)
	if len(a.Fields) != len(cols) || a.Fields[cols[19]] == "" {
		t.Fatalf("assignment's columns = %v, want the contact's %d", a.Fields, len(cols))
	}

	for _, tc := range []struct {
		budget, minPages int
	}{
		{40_000, 3}, // about three assignments a page
		{1, 12},     // every change larger than the budget
	} {
		t.Run(fmt.Sprintf("budget %d", tc.budget), func(t *testing.T) {
			f.srv.SetSyncPageBytes(tc.budget)
			t.Cleanup(func() { f.srv.SetSyncPageBytes(0) })
			paged, sent := syncState{}, map[string]bool{}
			cursor, pages := int64(0), 0
			for more := true; more; pages++ {
				page, err := c.Sync(ctx, cursor, 0)
				if err != nil {
					t.Fatalf("sync after %d: %v", cursor, err)
				}
				size, versions := 0, map[int64]bool{}
				for _, ch := range page.Changes {
					k := fmt.Sprintf("%s@%d", key(ch.Kind, ch.ID), ch.Version)
					if sent[k] {
						t.Fatalf("%s sent twice", k)
					}
					sent[k] = true
					size += ch.JSONSize()
					versions[ch.Version] = true
				}
				if size > tc.budget && len(versions) > 1 {
					t.Fatalf("page after %d: %d bytes over %d versions, budget %d", cursor, size, len(versions), tc.budget)
				}
				if page.More && page.Cursor <= cursor {
					t.Fatalf("page after %d: more, but the cursor is %d", cursor, page.Cursor)
				}
				paged.apply(page.Changes)
				cursor, more = page.Cursor, page.More
			}
			if pages < tc.minPages {
				t.Fatalf("%d pages, want %d or more", pages, tc.minPages)
			}
			if cursor != one.Cursor {
				t.Fatalf("cursor = %d, want %d", cursor, one.Cursor)
			}
			if len(paged) != len(whole) {
				t.Fatalf("%d entities paged, %d in one page", len(paged), len(whole))
			}
			for k, ch := range whole {
				if string(paged[k].Data) != string(ch.Data) {
					t.Fatalf("%s differs:\n paged %s\n whole %s", k, paged[k].Data, ch.Data)
				}
			}
		})
	}
}
