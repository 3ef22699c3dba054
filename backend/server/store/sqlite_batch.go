package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/inbox"
)

// Batch reads for building sync pages: one query per kind for a whole page
// instead of one per entity. The ids travel as one JSON array parameter.

const inIDs = `(SELECT value FROM json_each(?))`

func idsParam(ids []string) (string, error) {
	if ids == nil {
		ids = []string{}
	}
	raw, err := json.Marshal(ids)
	return string(raw), err
}

// queryByIDs runs q (whose only parameters are extra then the id list) and
// scans each row with scan.
func queryByIDs[T any](ctx context.Context, tx sqlRunner, what, q string, ids []string, scan func(interface{ Scan(...any) error }) (T, error),
	key func(T) string, extra ...any) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := idsParam(ids)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	rows, err := tx.QueryContext(ctx, q, append(extra, list)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out[key(v)] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func (t *sqliteTx) ThreadsByIDs(ctx context.Context, ids []string) (map[string]Thread, error) {
	return queryByIDs(ctx, t.tx, "threads by id", `SELECT `+threadCols+` FROM threads WHERE id IN `+inIDs, ids,
		scanThread, func(v Thread) string { return v.ID })
}

func (t *sqliteTx) MessagesByIDs(ctx context.Context, ids []string) (map[string]Message, error) {
	return queryByIDs(ctx, t.tx, "messages by id", `SELECT `+messageCols+` FROM messages WHERE id IN `+inIDs, ids,
		scanMessage, func(v Message) string { return v.ID })
}

func (t *sqliteTx) ContactsByIDs(ctx context.Context, ids []string) (map[string]Contact, error) {
	return queryByIDs(ctx, t.tx, "contacts by id", `SELECT `+contactCols+` FROM contacts WHERE id IN `+inIDs, ids,
		scanContact, func(v Contact) string { return v.ID })
}

func (t *sqliteTx) ReportsByIDs(ctx context.Context, ids []string) (map[string]Report, error) {
	return queryByIDs(ctx, t.tx, "reports by id", `SELECT id, thread_id, user_id, field_values, submitted_at FROM reports
		WHERE id IN `+inIDs, ids, scanReport, func(v Report) string { return v.ID })
}

func scanReport(row interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var vals, at string
	if err := row.Scan(&r.ID, &r.ThreadID, &r.UserID, &vals, &at); err != nil {
		return Report{}, err
	}
	if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
		return Report{}, fmt.Errorf("stored values of report %s: %w", r.ID, err)
	}
	var err error
	r.SubmittedAt, err = ParseTimeText(at)
	return r, err
}

func (t *sqliteTx) InboxStates(ctx context.Context, userID string, threadIDs []string) (map[string]InboxState, error) {
	return queryByIDs(ctx, t.tx, "inbox states", `SELECT thread_id, last_read_at, archived, archived_reason, unarchived_at FROM inbox_states
		WHERE user_id = ? AND thread_id IN `+inIDs, threadIDs,
		func(row interface{ Scan(...any) error }) (InboxState, error) {
			s := InboxState{UserID: userID}
			var read, unarchived sql.NullString
			var archived int
			if err := row.Scan(&s.ThreadID, &read, &archived, &s.ArchivedReason, &unarchived); err != nil {
				return InboxState{}, err
			}
			s.Archived = archived == 1
			var err error
			if s.LastReadAt, err = ParseNullTimeText(read); err != nil {
				return s, err
			}
			s.UnarchivedAt, err = ParseNullTimeText(unarchived)
			return s, err
		}, func(v InboxState) string { return v.ThreadID }, userID)
}

func (t *sqliteTx) CampaignThreadsByPhones(ctx context.Context, orgID, campaignID string, phones []string) (map[string][]Thread, error) {
	return t.threadsByPhones(ctx, phones, `organization_id = ? AND campaign_id = ?`, orgID, campaignID)
}

func (t *sqliteTx) ThreadsByPhones(ctx context.Context, orgID string, phones []string) (map[string][]Thread, error) {
	return t.threadsByPhones(ctx, phones, `organization_id = ?`, orgID)
}

// threadsByPhones reads the threads that match where (its parameters
// args) with each of phones, grouped by phone in creation order.
func (t *sqliteTx) threadsByPhones(ctx context.Context, phones []string, where string, args ...any) (map[string][]Thread, error) {
	if len(phones) == 0 {
		return map[string][]Thread{}, nil
	}
	list, err := idsParam(phones)
	if err != nil {
		return nil, fmt.Errorf("threads by phone: %w", err)
	}
	ths, err := t.queryThreads(ctx, "threads by phone", `SELECT `+threadCols+` FROM threads
		WHERE `+where+` AND contact_phone IN `+inIDs+`
		ORDER BY contact_phone, created_at, id`, append(args, list)...)
	if err != nil {
		return nil, err
	}
	return GroupByPhone(ths), nil
}

// GroupByPhone groups threads by contact phone, keeping their order.
func GroupByPhone(ths []Thread) map[string][]Thread {
	out := map[string][]Thread{}
	for _, th := range ths {
		out[th.ContactPhone] = append(out[th.ContactPhone], th)
	}
	return out
}

// addImportedOptOutSQL is AddOptOutSQL for an import's number
// (organization, phone, reason, source, file, at): no source message.
const addImportedOptOutSQL = `INSERT INTO opt_outs (organization_id, phone, reason, source, imported_from, created_at)
	VALUES (?, ?, ?, ?, ?, ?) ` + RenewOptOutSQL

// AddOptOuts runs addImportedOptOutSQL once per number through one prepared
// statement: on SQLite a statement is a call, not a round trip.
func (t *sqliteTx) AddOptOuts(ctx context.Context, orgID string, outs []PhoneAt, reason, file string) error {
	if len(outs) == 0 {
		return nil
	}
	st, err := t.tx.PrepareContext(ctx, addImportedOptOutSQL)
	if err != nil {
		return fmt.Errorf("opt out %d numbers: %w", len(outs), err)
	}
	defer st.Close()
	seen := make(map[string]bool, len(outs))
	for _, o := range outs {
		if seen[o.Phone] {
			continue // once per call, as PostgreSQL's one statement does: no renewal
		}
		seen[o.Phone] = true
		if _, err := st.ExecContext(ctx, orgID, o.Phone, reason, OptOutImported, file, TimeText(o.At)); err != nil {
			return fmt.Errorf("opt out %s: %w", o.Phone, err)
		}
	}
	return nil
}

func (t *sqliteTx) ClaimReportedOptOuts(ctx context.Context, orgID string, phones []string, reason, file string) error {
	if len(phones) == 0 {
		return nil
	}
	list, err := idsParam(phones)
	if err != nil {
		return fmt.Errorf("claim %d opt-outs for an import: %w", len(phones), err)
	}
	if _, err := t.tx.ExecContext(ctx, ClaimReportedOptOutsSQL+`IN `+inIDs, reason, file, orgID, list); err != nil {
		return fmt.Errorf("claim %d opt-outs for an import: %w", len(phones), err)
	}
	return nil
}

// SetOptedOut is one statement for the list: each thread found by its key.
func (t *sqliteTx) SetOptedOut(ctx context.Context, threadIDs []string) error {
	ids := DistinctIDs(threadIDs)
	if len(ids) == 0 {
		return nil
	}
	list, err := idsParam(ids)
	if err != nil {
		return fmt.Errorf("opt out %d threads: %w", len(ids), err)
	}
	res, err := t.tx.ExecContext(ctx, SetOptedOutSQL+`IN `+inIDs, list)
	if err != nil {
		return fmt.Errorf("opt out %d threads: %w", len(ids), err)
	}
	if n, err := res.RowsAffected(); err != nil || int(n) != len(ids) {
		return fmt.Errorf("opt out %d threads: %d found (%v): %w", len(ids), n, err, ErrNotFound)
	}
	return nil
}

// answeredSQL is LastAnswered's query.
const answeredSQL = `SELECT thread_id, MAX(created_at) FROM messages
	WHERE direction = 'out' AND ` + inbox.AnsweredSQL + ` AND thread_id IN ` + inIDs + `
	GROUP BY thread_id`

func (t *sqliteTx) LastAnswered(ctx context.Context, threadIDs []string) (map[string]time.Time, error) {
	type answered struct {
		id string
		at time.Time
	}
	got, err := queryByIDs(ctx, t.tx, "answered times", answeredSQL, threadIDs,
		func(row interface{ Scan(...any) error }) (answered, error) {
			var a answered
			var at string
			if err := row.Scan(&a.id, &at); err != nil {
				return a, err
			}
			var err error
			a.at, err = ParseTimeText(at)
			return a, err
		}, func(a answered) string { return a.id })
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(got))
	for id, a := range got {
		out[id] = a.at
	}
	return out, nil
}
