package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestSearchErrorKeepsSQLSTATENotText: a campaign search PostgreSQL
// refuses (text that is not UTF-8, which a URL's %ff decodes to) answers
// an error that keeps PostgreSQL's own (its SQLSTATE, for the log) but not
// the text searched for, which the server logs: it is what a user typed (a
// name, a phone number, a join code).
func TestSearchErrorKeepsSQLSTATENotText(t *testing.T) {
	st := pgtest.Open(t)
	const q = "Ada Lovelace 2125550100 \xff"
	var searchErr error
	_ = st.View(context.Background(), func(tx store.Tx) error {
		_, searchErr = tx.SearchCampaigns(context.Background(), "someone", q, 10)
		return searchErr
	})
	var pe *pgconn.PgError
	if !errors.As(searchErr, &pe) || pe.Code == "" {
		t.Fatalf("search of text that is not UTF-8 = %v, want PostgreSQL's error with its SQLSTATE", searchErr)
	}
	if !strings.Contains(searchErr.Error(), pe.Code) {
		t.Errorf("the search's error %q does not name the SQLSTATE %s", searchErr, pe.Code)
	}
	for _, text := range []string{"Ada", "Lovelace", "2125550100", "ada lovelace"} {
		if strings.Contains(searchErr.Error(), text) {
			t.Errorf("the search's error %q holds the text searched for (%q)", searchErr, text)
		}
	}
}
