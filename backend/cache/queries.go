package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// Campaigns lists the volunteer's campaigns by name.
func (c *Cache) Campaigns(ctx context.Context) ([]api.Campaign, error) {
	return queryJSON[api.Campaign](ctx, c.db, "campaigns", `SELECT data FROM campaigns ORDER BY name, id`)
}

// Actions lists a campaign's actions by title.
func (c *Cache) Actions(ctx context.Context, campaignID string) ([]api.Action, error) {
	return queryJSON[api.Action](ctx, c.db, "actions", `SELECT data FROM actions WHERE campaign_id = ? ORDER BY title, id`, campaignID)
}

// Action returns one action, or ErrNotFound.
func (c *Cache) Action(ctx context.Context, id string) (api.Action, error) {
	out, err := queryJSON[api.Action](ctx, c.db, "action", `SELECT data FROM actions WHERE id = ?`, id)
	if err != nil {
		return api.Action{}, err
	}
	if len(out) == 0 {
		return api.Action{}, fmt.Errorf("action %s: %w", id, ErrNotFound)
	}
	return out[0], nil
}

// Assignments is the action's send queue, in the order it was assigned.
func (c *Cache) Assignments(ctx context.Context, actionID string) ([]api.Assignment, error) {
	return queryJSON[api.Assignment](ctx, c.db, "assignments",
		`SELECT data FROM assignments WHERE action_id = ? ORDER BY assigned_at, contact_id`, actionID)
}

// Contact returns what the cache remembers of a contact's merge fields (from
// their assignment); ok is false when it never saw one.
func (c *Cache) Contact(ctx context.Context, id string) (a api.Assignment, ok bool, err error) {
	out, err := queryJSON[api.Assignment](ctx, c.db, "contact", `SELECT data FROM contacts WHERE id = ?`, id)
	if err != nil || len(out) == 0 {
		return api.Assignment{}, false, err
	}
	return out[0], true, nil
}

// Settings returns the volunteer's synced settings (zero until synced).
func (c *Cache) Settings(ctx context.Context) (api.Settings, error) {
	out, err := queryJSON[api.Settings](ctx, c.db, "settings", `SELECT data FROM settings WHERE id = 1`)
	if err != nil || len(out) == 0 {
		return api.Settings{}, err
	}
	return out[0], nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryJSON[T any](ctx context.Context, q querier, what, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// filterWhere is the SQL twin of inbox.Matches over the derived columns.
// Its terms are literal so that SQLite picks the filter's partial index
// (migrations/0002_inbox_speed.sql), whose WHERE must match them exactly.
func filterWhere(f inbox.Filter) (string, []any) {
	switch f {
	case inbox.Archive:
		return "archived = 1", nil
	case inbox.Unread:
		return "archived = 0 AND unread = 1", nil
	case inbox.NeedsAttention:
		return "archived = 0 AND needs_attention = 1", nil
	case inbox.Friends, inbox.Team, inbox.Canvassing:
		return "archived = 0 AND action_type = ?", []any{f.ActionType()}
	default:
		return "archived = 0", nil
	}
}

// countsMatch is filterWhere over one row of thread_counts.
func countsMatch(f inbox.Filter, archived, unread, attention int, actionType string) bool {
	switch f {
	case inbox.Archive:
		return archived == 1
	case inbox.Unread:
		return archived == 0 && unread == 1
	case inbox.NeedsAttention:
		return archived == 0 && attention == 1
	case inbox.Friends, inbox.Team, inbox.Canvassing:
		return archived == 0 && actionType == f.ActionType()
	default:
		return archived == 0
	}
}

// scope narrows to one campaign ("" means every campaign); column is
// "+campaign_id" where no index should be chosen for it.
func scope(where string, args []any, campaignID, column string) (string, []any) {
	if campaignID != "" {
		where = column + " = ? AND " + where
		args = append([]any{campaignID}, args...)
	}
	return where, args
}

// Counts returns the number of threads under every filter; campaignID ""
// counts across campaigns. It reads thread_counts, which triggers keep
// equal to a count of threads by the columns the filters test.
func (c *Cache) Counts(ctx context.Context, campaignID string) (map[inbox.Filter]int, error) {
	out := make(map[inbox.Filter]int, len(inbox.Filters))
	for _, f := range inbox.Filters {
		out[f] = 0
	}
	q := `SELECT archived, unread, needs_attention, action_type, n FROM thread_counts WHERE n > 0`
	var args []any
	if campaignID != "" {
		q += ` AND campaign_id = ?`
		args = append(args, campaignID)
	}
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count threads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var archived, unread, attention, n int
		var actionType string
		if err := rows.Scan(&archived, &unread, &attention, &actionType, &n); err != nil {
			return nil, fmt.Errorf("count threads: %w", err)
		}
		for _, f := range inbox.Filters {
			if countsMatch(f, archived, unread, attention, actionType) {
				out[f] += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count threads: %w", err)
	}
	return out, nil
}

// ThreadRow is one line of the thread list.
type ThreadRow struct {
	ID             string
	ActionID       string
	ActionType     string
	ActionTitle    string
	ContactName    string
	ContactPhone   string
	LastMessage    string
	LastMessageAt  time.Time
	Unread         bool
	NeedsAttention bool
	Archived       bool
	OptedOut       bool
}

// ThreadQuery selects a page of the thread list.
type ThreadQuery struct {
	Filter     inbox.Filter
	CampaignID string // "" for every campaign
	Search     string // name or number
	Offset     int
	Limit      int // <= 0 means 50
}

// recentWindow is how many of a filter's newest threads a search looks at
// before it turns to the full-text index (see Threads).
const recentWindow = 1000

// Threads lists threads newest first. Without a search, a page is a walk
// down the filter's partial index. A short search (up to three characters)
// first looks through the filter's newest recentWindow threads: a common
// query ("mar", "555") fills its page there, sooner than the full-text index
// could list its thousands of candidates. Otherwise the full-text index finds the candidates, each
// checked with LIKE since a token only says the words occur, and the few
// that pass are sorted.
func (c *Cache) Threads(ctx context.Context, q ThreadQuery) ([]ThreadRow, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	fw, fargs := filterWhere(q.Filter)
	where, args := scope(fw, fargs, q.CampaignID, "campaign_id")
	const order = `ORDER BY last_message_at DESC, id DESC LIMIT ? OFFSET ?`
	s, searching := parseSearch(q.Search)
	if !searching {
		return c.listThreads(ctx, q, `SELECT * FROM threads WHERE `+where+` `+order, append(args, q.Limit, q.Offset))
	}
	if s.short && q.Offset+q.Limit <= recentWindow/4 {
		// The window reads only each row's search column; whole rows are
		// read for the page alone.
		recent := `SELECT t.* FROM (SELECT rowid AS r, search FROM threads WHERE ` + where +
			` ORDER BY last_message_at DESC, id DESC LIMIT ` + strconv.Itoa(recentWindow) + `) w
			JOIN threads t ON t.rowid = w.r WHERE w.search LIKE ? ESCAPE '\'
			ORDER BY t.last_message_at DESC, t.id DESC LIMIT ? OFFSET ?`
		rows, err := c.listThreads(ctx, q, recent, append(slices.Clone(args), s.like, q.Limit, q.Offset))
		if err != nil || len(rows) == q.Limit {
			return rows, err
		}
	}
	if s.match == "" {
		where += ` AND search LIKE ? ESCAPE '\'`
		return c.listThreads(ctx, q, `SELECT * FROM threads WHERE `+where+` `+order, append(args, s.like, q.Limit, q.Offset))
	}
	// The unary + operators keep SQLite from walking the campaign's or the
	// filter's index (checking every row against the candidates): looking
	// up the few candidates by rowid and sorting them is cheaper.
	fw = strings.Replace(fw, "action_type = ?", "+action_type = ?", 1)
	where, args = scope(fw, fargs, q.CampaignID, "+campaign_id")
	where += ` AND search LIKE ? ESCAPE '\'`
	args = append(args, s.like)
	return c.listThreads(ctx, q, `SELECT * FROM threads WHERE `+where+`
		AND rowid IN (SELECT docid FROM thread_search WHERE thread_search MATCH ?)
		ORDER BY +last_message_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, s.match, q.Limit, q.Offset))
}

// listThreads reads the rows of page (a query over threads, in list order)
// with their action's title.
func (c *Cache) listThreads(ctx context.Context, q ThreadQuery, page string, args []any) ([]ThreadRow, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT t.id, t.action_id, t.action_type, COALESCE(a.title, ''), t.contact_name, t.contact_phone,
			t.last_message_body, t.last_message_at, t.unread, t.needs_attention, t.archived, t.opted_out
		FROM (`+page+`) t
		LEFT JOIN actions a ON a.id = t.action_id
		ORDER BY t.last_message_at DESC, t.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s threads: %w", q.Filter, err)
	}
	defer rows.Close()
	out := []ThreadRow{}
	for rows.Next() {
		var r ThreadRow
		var at int64
		var unread, attention, archived, optedOut int
		if err := rows.Scan(&r.ID, &r.ActionID, &r.ActionType, &r.ActionTitle, &r.ContactName, &r.ContactPhone,
			&r.LastMessage, &at, &unread, &attention, &archived, &optedOut); err != nil {
			return nil, fmt.Errorf("list threads: %w", err)
		}
		r.LastMessageAt = fromNanos(at)
		r.Unread, r.NeedsAttention, r.Archived, r.OptedOut = unread == 1, attention == 1, archived == 1, optedOut == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// MessageRow is a message of an open thread.
type MessageRow struct {
	api.Message
	Pending bool   // its mutation has not been accepted yet
	Error   string // the server's reason when it refused it
}

// ThreadDetail is an open thread: its state as the volunteer sees it (local
// effects included), its messages oldest first and its reports newest first.
type ThreadDetail struct {
	Thread         api.Thread
	NeedsAttention bool
	Unread         bool
	Messages       []MessageRow
	Reports        []api.Report
}

// Thread returns one thread, or ErrNotFound.
func (c *Cache) Thread(ctx context.Context, id string) (ThreadDetail, error) {
	var d ThreadDetail
	var data string
	var lastAt int64
	var in, out, read, report sql.NullInt64
	var archived, optedOut, blocked, unread, attention int
	err := c.db.QueryRowContext(ctx, `SELECT data, last_message_at, last_inbound_at, last_outbound_at, last_read_at, last_report_at,
			archived, opted_out, blocked, unread, needs_attention FROM threads WHERE id = ?`, id).
		Scan(&data, &lastAt, &in, &out, &read, &report, &archived, &optedOut, &blocked, &unread, &attention)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("thread %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("read thread %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(data), &d.Thread); err != nil {
		return d, fmt.Errorf("decode thread %s: %w", id, err)
	}
	t := &d.Thread
	t.LastMessageAt = fromNanos(lastAt)
	t.LastInboundAt, t.LastOutboundAt, t.LastReadAt, t.LastReportAt = fromNull(in), fromNull(out), fromNull(read), fromNull(report)
	t.Archived, t.OptedOut, t.Blocked = archived == 1, optedOut == 1, blocked == 1
	d.Unread, d.NeedsAttention = unread == 1, attention == 1

	rows, err := c.db.QueryContext(ctx, `SELECT id, thread_id, direction, body, status, initial, created_at, pending, error, likely_opt_out
		FROM messages WHERE thread_id = ? ORDER BY created_at, rowid`, id)
	if err != nil {
		return d, fmt.Errorf("read messages of %s: %w", id, err)
	}
	defer rows.Close()
	d.Messages = []MessageRow{}
	for rows.Next() {
		var m MessageRow
		var initial, pending, likely int
		var created int64
		if err := rows.Scan(&m.ID, &m.ThreadID, &m.Direction, &m.Body, &m.Status, &initial, &created, &pending, &m.Error, &likely); err != nil {
			return d, fmt.Errorf("read messages of %s: %w", id, err)
		}
		m.Initial, m.Pending, m.CreatedAt, m.LikelyOptOut = initial == 1, pending == 1, fromNanos(created), likely == 1
		d.Messages = append(d.Messages, m)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("read messages of %s: %w", id, err)
	}
	d.Reports, err = queryJSON[api.Report](ctx, c.db, "reports", `SELECT data FROM reports WHERE thread_id = ? ORDER BY submitted_at DESC`, id)
	if err != nil {
		return d, err
	}
	return d, nil
}
