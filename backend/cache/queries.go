package cache

import (
	"context"
	"database/sql"
	"encoding/json"
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
	CampaignID     string
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
	ArchivedReason string // why an archived thread is archived ("user", "report", "inactive")
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

// ThreadQuery.Search strategies (see Threads). Their costs, measured at
// 100,000 threads: a walk down a filter's partial index checks about 0.1 µs
// a row (index only, no table row), a candidate looked up by rowid, checked
// and sorted costs about 2 µs, and the full-text index counts its matches
// in 0.1-0.8 ms.
const (
	// tinyWindow is how many of a filter's newest threads a search of one
	// or two characters reads before it turns to the full-text index, which
	// holds tens of thousands of matches for those.
	tinyWindow = 1000
	// walkPerLookup is how many index rows a walk reads in the time one
	// candidate is looked up (20-30 measured).
	walkPerLookup = 20
)

// Threads lists threads newest first. Without a search, a page is a walk
// down the filter's partial index. A search counts its candidates in the
// full-text index first. Few candidates are looked up one by one and sorted;
// many are found by walking the filter's index newest first and keeping the
// rows that are candidates, which stops once it has a page (with c
// candidates among n threads it reads about page*n/c rows). Every candidate
// is checked with LIKE too, since a token only says the words occur.
func (c *Cache) Threads(ctx context.Context, q ThreadQuery) ([]ThreadRow, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	s, searching := parseSearch(q.Search)
	if !searching {
		query, args := pageSQL(q)
		return c.listThreads(ctx, q, query, args)
	}
	if s.tiny && q.Offset+q.Limit <= tinyWindow/4 {
		query, args := windowSQL(q, s)
		rows, err := c.listThreads(ctx, q, query, args)
		if err != nil || len(rows) == q.Limit {
			return rows, err
		}
	}
	if s.match == "" {
		query, args := likeSQL(q, s)
		return c.listThreads(ctx, q, query, args)
	}
	var candidates, total int
	err := c.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM thread_search WHERE thread_search MATCH ?),
		(SELECT COALESCE(SUM(n), 0) FROM thread_counts)`, s.match).Scan(&candidates, &total)
	if err != nil {
		return nil, fmt.Errorf("search threads: %w", err)
	}
	if candidates == 0 {
		return []ThreadRow{}, nil
	}
	if candidates*candidates*walkPerLookup > (q.Offset+q.Limit)*total {
		query, args := walkSQL(q, s)
		return c.listThreads(ctx, q, query, args)
	}
	query, args := lookupSQL(q, s)
	return c.listThreads(ctx, q, query, args)
}

// The page queries below select the rowids of one page in list order; only
// filterWhere's literal terms let SQLite use the filter's partial index.
const pageOrder = `ORDER BY last_message_at DESC, id DESC LIMIT ? OFFSET ?`

func filterScope(q ThreadQuery, column string) (string, []any) {
	fw, fargs := filterWhere(q.Filter)
	if column == "+campaign_id" {
		fw = strings.Replace(fw, "action_type = ?", "+action_type = ?", 1)
	}
	return scope(fw, slices.Clone(fargs), q.CampaignID, column)
}

// pageSQL: a page of a filter, read from its index alone.
func pageSQL(q ThreadQuery) (string, []any) {
	where, args := filterScope(q, "campaign_id")
	return `SELECT rowid AS r FROM threads WHERE ` + where + ` ` + pageOrder, append(args, q.Limit, q.Offset)
}

// windowSQL: the matches among a filter's newest tinyWindow threads. The
// order is the window's own, so the walk stops at a page of matches.
func windowSQL(q ThreadQuery, s search) (string, []any) {
	where, args := filterScope(q, "campaign_id")
	return `SELECT w.r AS r FROM (SELECT rowid AS r, last_message_at AS at, id FROM threads WHERE ` + where +
			` ORDER BY last_message_at DESC, id DESC LIMIT ` + strconv.Itoa(tinyWindow) + `) w
		JOIN threads t ON t.rowid = w.r WHERE t.search LIKE ? ESCAPE '\'
		ORDER BY w.at DESC, w.id DESC LIMIT ? OFFSET ?`,
		append(args, s.like, q.Limit, q.Offset)
}

// likeSQL: a filter's rows whose search column matches, for a query the
// full-text index cannot take (punctuation only).
func likeSQL(q ThreadQuery, s search) (string, []any) {
	where, args := filterScope(q, "campaign_id")
	return `SELECT rowid AS r FROM threads WHERE ` + where + ` AND search LIKE ? ESCAPE '\' ` + pageOrder,
		append(args, s.like, q.Limit, q.Offset)
}

// walkSQL: down the filter's index, keeping candidates. The + on rowid
// keeps SQLite from looking the candidates up instead; the candidate check
// needs only the index, so a table row is read only for a candidate's LIKE.
func walkSQL(q ThreadQuery, s search) (string, []any) {
	where, args := filterScope(q, "campaign_id")
	return `SELECT rowid AS r FROM threads WHERE ` + where + `
		AND +rowid IN (SELECT docid FROM thread_search WHERE thread_search MATCH ?)
		AND search LIKE ? ESCAPE '\' ` + pageOrder,
		append(args, s.match, s.like, q.Limit, q.Offset)
}

// lookupSQL: the candidates by rowid, checked and sorted. The unary +
// operators keep SQLite from walking the campaign's or the filter's index
// (checking every row against the candidates) instead.
func lookupSQL(q ThreadQuery, s search) (string, []any) {
	where, args := filterScope(q, "+campaign_id")
	return `SELECT rowid AS r FROM threads WHERE ` + where + ` AND search LIKE ? ESCAPE '\'
		AND rowid IN (SELECT docid FROM thread_search WHERE thread_search MATCH ?)
		ORDER BY +last_message_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, s.like, s.match, q.Limit, q.Offset)
}

// ThreadRows are the list rows of the given threads as they are now, newest
// first (a thread not in the cache has none): what the window needs to put
// a changed thread in its place in the lists it shows.
func (c *Cache) ThreadRows(ctx context.Context, ids []string) ([]ThreadRow, error) {
	if len(ids) == 0 {
		return []ThreadRow{}, nil
	}
	list, err := idList(ids)
	if err != nil {
		return nil, err
	}
	return c.listThreads(ctx, ThreadQuery{Filter: inbox.All}, `SELECT rowid AS r FROM threads WHERE id IN `+inIDs, []any{list})
}

// listThreads reads the rows of page (rowids r of threads in list order) with
// their action's title.
func (c *Cache) listThreads(ctx context.Context, q ThreadQuery, page string, args []any) ([]ThreadRow, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT t.id, t.campaign_id, t.action_id, t.action_type, COALESCE(a.title, ''), t.contact_name, t.contact_phone,
			t.last_message_body, t.last_message_at, t.unread, t.needs_attention, t.archived, t.archived_reason, t.opted_out
		FROM (`+page+`) p
		JOIN threads t ON t.rowid = p.r
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
		if err := rows.Scan(&r.ID, &r.CampaignID, &r.ActionID, &r.ActionType, &r.ActionTitle, &r.ContactName, &r.ContactPhone,
			&r.LastMessage, &at, &unread, &attention, &archived, &r.ArchivedReason, &optedOut); err != nil {
			return nil, fmt.Errorf("list threads: %w", err)
		}
		r.LastMessageAt = fromNanos(at)
		r.Unread, r.NeedsAttention, r.Archived, r.OptedOut = unread == 1, attention == 1, archived == 1, optedOut == 1
		out = append(out, r)
	}
	return out, rows.Err()
}
