package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
)

// Batch reads for building sync pages: one query per kind for a whole page
// instead of one per entity. The ids travel as one text[] parameter, matched
// with "= ANY": an index scan on the key once the table holds more than a
// few pages (a plan made for a nearly empty table scans it, until the table
// is analyzed: analyze.go). (Written "IN (SELECT unnest(...))" the reads
// were a semi-join whose generic plan the planner was free to make a scan;
// pg_stat_statements during a load test put the messages read at 1.85 ms a
// call and a quarter of all statement time.)

const anyIDs = `ANY(?::text[])`

// queryByIDs runs q (whose only parameters are extra then the id list) and
// scans each row with scan. Between DeferReads and FlushReads it holds q
// instead, and the map it answers is filled when FlushReads sends it.
func queryByIDs[T any](ctx context.Context, t *tx, what, q string, ids []string, scan func(interface{ Scan(...any) error }) (T, error),
	key func(T) string, extra ...any) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	err := eachByIDs(ctx, t, what, q, ids, func(row interface{ Scan(...any) error }) error {
		v, err := scan(row)
		if err == nil {
			out[key(v)] = v
		}
		return err
	}, extra...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachByIDs runs q as queryByIDs does, calling each for every row (once
// FlushReads sends it, if deferred); nothing for no ids.
func eachByIDs(ctx context.Context, t *tx, what, q string, ids []string, each func(interface{ Scan(...any) error }) error, extra ...any) error {
	if len(ids) == 0 {
		return nil
	}
	read := func(rows pgx.Rows) error {
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if t.deferReads {
		// The flush names its error with what.
		t.q.holdQuery(what, rebind(q), read, append(extra, ids)...)
		return nil
	}
	rows, err := t.query(ctx, q, append(extra, ids)...)
	if err == nil {
		err = read(rows)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// DeferReads makes the reads by ids of this read-only transaction
// (queryByIDs) wait to go out together, at FlushReads: the maps they
// answer are filled then. The sync's loader reads a page's entities so,
// a round trip for each step instead of one for each kind of entity.
func (t *tx) DeferReads() {
	if t.readOnly {
		t.deferReads = true
	}
}

// FlushReads sends the reads DeferReads held, fills their maps, and reads
// at once again from then on. In a write transaction it does nothing (it
// would send the held writes early).
func (t *tx) FlushReads(ctx context.Context) error {
	if !t.readOnly {
		return nil
	}
	t.deferReads = false
	return t.q.flush(ctx)
}

func (t *tx) ThreadsByIDs(ctx context.Context, ids []string) (map[string]store.Thread, error) {
	return queryByIDs(ctx, t, "threads by id", `SELECT `+threadCols+` FROM threads WHERE id = `+anyIDs, ids,
		scanThread, func(v store.Thread) string { return v.ID })
}

func (t *tx) MessagesByIDs(ctx context.Context, ids []string) (map[string]store.Message, error) {
	return queryByIDs(ctx, t, "messages by id", `SELECT `+messageCols+` FROM messages WHERE id = `+anyIDs, ids,
		scanMessage, func(v store.Message) string { return v.ID })
}

func (t *tx) ContactsByIDs(ctx context.Context, ids []string) (map[string]store.Contact, error) {
	return queryByIDs(ctx, t, "contacts by id", `SELECT `+contactCols+` FROM contacts WHERE id = `+anyIDs, ids,
		scanContact, func(v store.Contact) string { return v.ID })
}

func (t *tx) ReportsByIDs(ctx context.Context, ids []string) (map[string]store.Report, error) {
	return queryByIDs(ctx, t, "reports by id", `SELECT id, thread_id, user_id, field_values, submitted_at FROM reports
		WHERE id = `+anyIDs, ids, scanReport, func(v store.Report) string { return v.ID })
}

func scanReport(row interface{ Scan(...any) error }) (store.Report, error) {
	var r store.Report
	var vals, at string
	if err := row.Scan(&r.ID, &r.ThreadID, &r.UserID, &vals, &at); err != nil {
		return store.Report{}, err
	}
	if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
		return store.Report{}, fmt.Errorf("stored values of report %s: %w", r.ID, err)
	}
	var err error
	r.SubmittedAt, err = store.ParseTimeText(at)
	return r, err
}

func (t *tx) InboxStates(ctx context.Context, userID string, threadIDs []string) (map[string]store.InboxState, error) {
	return queryByIDs(ctx, t, "inbox states", `SELECT thread_id, last_read_at, archived, archived_reason, unarchived_at FROM inbox_states
		WHERE user_id = ? AND thread_id = `+anyIDs, threadIDs,
		func(row interface{ Scan(...any) error }) (store.InboxState, error) {
			s := store.InboxState{UserID: userID}
			var read, unarchived sql.NullString
			var archived int
			if err := row.Scan(&s.ThreadID, &read, &archived, &s.ArchivedReason, &unarchived); err != nil {
				return store.InboxState{}, err
			}
			s.Archived = archived == 1
			var err error
			if s.LastReadAt, err = store.ParseNullTimeText(read); err != nil {
				return s, err
			}
			s.UnarchivedAt, err = store.ParseNullTimeText(unarchived)
			return s, err
		}, func(v store.InboxState) string { return v.ThreadID }, userID)
}

// CampaignThreadsByPhones reads at once even between DeferReads and
// FlushReads: its callers use the answer straight away.
func (t *tx) CampaignThreadsByPhones(ctx context.Context, orgID, campaignID string, phones []string) (map[string][]store.Thread, error) {
	return t.threadsByPhones(ctx, phones, `organization_id = ? AND campaign_id = ?`, orgID, campaignID)
}

func (t *tx) ThreadsByPhones(ctx context.Context, orgID string, phones []string) (map[string][]store.Thread, error) {
	return t.threadsByPhones(ctx, phones, `organization_id = ?`, orgID)
}

// threadsByPhones reads the threads that match where (its parameters
// args) with each of phones, grouped by phone in creation order.
func (t *tx) threadsByPhones(ctx context.Context, phones []string, where string, args ...any) (map[string][]store.Thread, error) {
	if len(phones) == 0 {
		return map[string][]store.Thread{}, nil
	}
	ths, err := t.queryThreads(ctx, "threads by phone", `SELECT `+threadCols+` FROM threads
		WHERE `+where+` AND contact_phone = `+anyIDs+`
		ORDER BY contact_phone, created_at, id`, append(args, phones)...)
	if err != nil {
		return nil, err
	}
	return store.GroupByPhone(ths), nil
}

// AddOptOuts is one statement for the whole list, not a round trip per
// number; as AddOptOutSQL, an opt-out already there records a renewal.
// DISTINCT ON, the first of a number's rows: one statement may not update
// a row twice.
func (t *tx) AddOptOuts(ctx context.Context, orgID string, outs []store.PhoneAt, reason, file string) error {
	if len(outs) == 0 {
		return nil
	}
	phones, times := make([]string, len(outs)), make([]string, len(outs))
	for i, o := range outs {
		phones[i], times[i] = o.Phone, store.TimeText(o.At)
	}
	_, err := t.exec(ctx, `INSERT INTO opt_outs (organization_id, phone, reason, source_message_id, source, imported_from, created_at)
		SELECT ?, p, ?, NULL, ?, ?, at FROM (SELECT DISTINCT ON (p) p, at FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(p, at, n)
			ORDER BY p, n) ps `+store.RenewOptOutSQL,
		orgID, reason, store.OptOutImported, file, phones, times)
	if err != nil {
		return fmt.Errorf("opt out %d numbers: %w", len(outs), err)
	}
	return nil
}

func (t *tx) ClaimReportedOptOuts(ctx context.Context, orgID string, phones []string, reason, file string) error {
	if len(phones) == 0 {
		return nil
	}
	if _, err := t.exec(ctx, store.ClaimReportedOptOutsSQL+`= ANY(?::text[])`, reason, file, orgID, phones); err != nil {
		return fmt.Errorf("claim %d opt-outs for an import: %w", len(phones), err)
	}
	return nil
}

// setOptedOutSQL is store.SetOptedOutSQL checking that it found every one
// of its $1 threads ($2 of them, distinct), as assignSQL does (checks.go).
const setOptedOutSQL = checkedPrefix + store.SetOptedOutSQL + `= ANY($1::text[])
	RETURNING 1) SELECT 1 / (count(*) = $2::bigint)::int` + checkedSuffix

// SetOptedOut is held (pipe): it goes with the transaction's next
// statement, and PostgreSQL refuses it should a thread be missing.
func (t *tx) SetOptedOut(ctx context.Context, threadIDs []string) error {
	ids := store.DistinctIDs(threadIDs)
	if len(ids) == 0 {
		return nil
	}
	what := fmt.Sprintf("opt out %d threads (first %s)", len(ids), ids[0])
	t.q.holdRefusable(what, setOptedOutSQL, refusedAs(codeTooFew, fmt.Errorf("%s: %w", what, store.ErrNotFound)), ids, len(ids))
	return nil
}

// answeredSQL is LastAnswered's query.
const answeredSQL = `SELECT thread_id, MAX(created_at) FROM messages
	WHERE direction = 'out' AND ` + inbox.AnsweredSQL + ` AND thread_id = ` + anyIDs + `
	GROUP BY thread_id`

// LastAnswered reads at once even between DeferReads and FlushReads: its
// callers use the answer straight away.
func (t *tx) LastAnswered(ctx context.Context, threadIDs []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(threadIDs))
	if len(threadIDs) == 0 {
		return out, nil
	}
	rows, err := t.query(ctx, answeredSQL, threadIDs)
	if err != nil {
		return nil, fmt.Errorf("answered times: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("answered times: %w", err)
		}
		if out[id], err = store.ParseTimeText(at); err != nil {
			return nil, fmt.Errorf("answered times: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("answered times: %w", err)
	}
	return out, nil
}
