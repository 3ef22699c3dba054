package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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

// KnownFields are the report fields action id has had, each as last known:
// those it has now and those an admin removed since (by key), for naming a
// value filed in one of them. With id "", those of every action.
func (c *Cache) KnownFields(ctx context.Context, id string) ([]api.ReportField, error) {
	return queryJSON[api.ReportField](ctx, c.db, "known report fields",
		`SELECT data FROM known_fields WHERE ? IN ('', action_id) ORDER BY action_id, key`, id)
}

// Assignments is the action's send queue, in the order it was assigned.
func (c *Cache) Assignments(ctx context.Context, actionID string) ([]api.Assignment, error) {
	return queryJSON[api.Assignment](ctx, c.db, "assignments",
		`SELECT data FROM assignments WHERE action_id = ? ORDER BY assigned_at, contact_id`, actionID)
}

// QueuedActions lists the actions with contacts waiting in the volunteer's
// queue (assigned, not texted), for signing out to hand them back.
func (c *Cache) QueuedActions(ctx context.Context) ([]string, error) {
	ids, err := queryIDs(ctx, c.db, `SELECT DISTINCT action_id FROM assignments ORDER BY action_id`)
	if err != nil {
		return nil, fmt.Errorf("actions with queued contacts: %w", err)
	}
	return ids, nil
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
	return inbox.Listed(f, inbox.Flags{ActionType: actionType, Archived: archived == 1, Unread: unread == 1, NeedsAttention: attention == 1})
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
	LastFromUs     bool // the last message is one the campaign sent (no reply since)
	Unread         bool
	NeedsAttention bool
	// OptOutUndecided: a reply reads like a request to stop and no report
	// has decided it since (inbox.OptOutUndecided).
	OptOutUndecided bool
	// Unanswered: the contact's latest reply has no answer (inbox.Answered;
	// the last text may be ours, written before that reply came).
	Unanswered     bool
	Archived       bool
	ArchivedReason string // why an archived thread is archived ("user", "report", "inactive")
	OptedOut       bool
	ReassignedFrom string // who handed the thread to this user, "" if nobody did
}

// ThreadQuery selects a page of the thread list.
type ThreadQuery struct {
	Filter     inbox.Filter
	CampaignID string // "" for every campaign
	Search     string // name or number
	Offset     int
	Limit      int // <= 0 means 50
}

// Threads lists threads newest first. Without a search, a page is a walk
// down the filter's partial index. A search finds its page in the search
// index in memory (searchindex.go) and reads those rows by rowid.
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
	page, err := c.search.find(ctx, s, q)
	if err != nil {
		return nil, fmt.Errorf("search threads: %w", err)
	}
	if len(page) == 0 {
		return []ThreadRow{}, nil
	}
	query, args, err := idsSQL(q, page)
	if err != nil {
		return nil, err
	}
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

// idsSQL: the rows a search found, by rowid, checked against the filter
// once more (a write may land between the search and this read). The unary
// + operators keep SQLite from walking the campaign's or the filter's index
// instead of looking the rows up.
func idsSQL(q ThreadQuery, rowids []int64) (string, []any, error) {
	where, args := filterScope(q, "+campaign_id")
	list, err := idList(rowids)
	if err != nil {
		return "", nil, err
	}
	return `SELECT rowid AS r FROM threads WHERE ` + where + ` AND rowid IN ` + inIDs, append(args, list), nil
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
// their action's title. page is one of a fixed set of texts (its values are
// args), so its statement is prepared once.
func (c *Cache) listThreads(ctx context.Context, q ThreadQuery, page string, args []any) ([]ThreadRow, error) {
	stmt, err := c.stmts.get(ctx, `SELECT t.id, t.campaign_id, t.action_id, t.action_type, COALESCE(a.title, ''), t.contact_name, t.contact_phone,
			t.last_message_body, t.last_message_at, COALESCE(t.last_outbound_at >= t.last_message_at, 0), t.unread, t.needs_attention, t.archived, t.archived_reason, t.opted_out,
			t.reassigned_from, t.opt_out_undecided, t.unanswered
		FROM (`+page+`) p
		JOIN threads t ON t.rowid = p.r
		LEFT JOIN actions a ON a.id = t.action_id
		ORDER BY t.last_message_at DESC, t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list %s threads: %w", q.Filter, err)
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s threads: %w", q.Filter, err)
	}
	defer rows.Close()
	out := []ThreadRow{}
	for rows.Next() {
		var r ThreadRow
		var at int64
		var fromUs, unread, attention, archived, optedOut, undecided, unanswered int
		if err := rows.Scan(&r.ID, &r.CampaignID, &r.ActionID, &r.ActionType, &r.ActionTitle, &r.ContactName, &r.ContactPhone,
			&r.LastMessage, &at, &fromUs, &unread, &attention, &archived, &r.ArchivedReason, &optedOut,
			&r.ReassignedFrom, &undecided, &unanswered); err != nil {
			return nil, fmt.Errorf("list threads: %w", err)
		}
		r.LastMessageAt = fromNanos(at)
		r.LastFromUs = fromUs == 1
		r.Unread, r.NeedsAttention, r.Archived, r.OptedOut = unread == 1, attention == 1, archived == 1, optedOut == 1
		r.OptOutUndecided, r.Unanswered = undecided == 1, unanswered == 1
		out = append(out, r)
	}
	return out, rows.Err()
}
