package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// sendChecksSQL is the SQLite engine's, its numbered parameters spelled
// $n: $1 user, $2 phone, $3 since (NULL skips the 6-hour lock), $4 message
// id, $5 campaign.
const sendChecksSQL = `SELECT camp.organization_id, camp.name,
	EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = camp.organization_id AND o.phone = $2),
	EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = $1 AND b.phone = $2),
	$3::text IS NOT NULL AND EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = $2
		AND th.organization_id = camp.organization_id
		AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = th.id AND m.initial = 1 AND m.created_at >= $3::text)),
	COALESCE((SELECT n.phone FROM number_assignments n WHERE n.campaign_id = camp.id AND n.user_id = $1), ''),
	EXISTS (SELECT 1 FROM messages m WHERE m.id = $4)
	FROM campaigns camp WHERE camp.id = $5`

func (t *tx) SendChecks(ctx context.Context, q store.SendCheck) (store.SendChecks, error) {
	var c store.SendChecks
	err := t.q.QueryRow(ctx, sendChecksSQL, q.UserID, q.Phone, store.TimeTextOrNil(q.InitialSince), q.MessageID, q.CampaignID).
		Scan(&c.OrganizationID, &c.CampaignName, &c.OptedOut, &c.Blocked, &c.RecentInitial, &c.Number, &c.MessageIDTaken)
	if err != nil {
		return store.SendChecks{}, notFound(err, fmt.Sprintf("checks of a text to %s in campaign %s", q.Phone, q.CampaignID))
	}
	return c, nil
}

// AppendFeeds writes rows in one statement, in order (the seq identity
// follows the ordinality). The statement is held (pipe) and goes with the
// transaction's next one: nothing waits for its answer. Its error, if any,
// reruns a group careful (eachOnce), where it fails the fn that appended.
func (t *tx) AppendFeeds(ctx context.Context, at time.Time, rows ...store.FeedRow) error {
	n := len(rows)
	if n == 0 {
		return nil
	}
	users, kinds, ids := make([]string, n), make([]string, n), make([]string, n)
	for i, r := range rows {
		users[i], kinds[i], ids[i] = r.UserID, r.Kind, r.EntityID
	}
	t.q.hold(fmt.Sprintf("append %d rows to the feed (first %s %s of %s)", n, rows[0].Kind, rows[0].EntityID, rows[0].UserID),
		`INSERT INTO feed (user_id, kind, entity_id, created_at)
		SELECT u, k, e, $4 FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(u, k, e, n) ORDER BY n`,
		users, kinds, ids, store.TimeText(at))
	if t.notify == nil {
		t.notify = map[string]struct{}{}
	}
	for _, u := range users {
		t.notify[u] = struct{}{}
	}
	return nil
}

// inboundActivitySQL and outboundActivitySQL are ThreadActivity's; only
// the outbound one can change a route (routes.go: wrote).
// Both are held and check that they found their thread (checks.go).
var (
	inboundActivitySQL  = countChecked(`UPDATE threads SET last_message_at = $1, last_inbound_at = $2 WHERE id = $3`)
	outboundActivitySQL = countChecked(`UPDATE threads SET last_message_at = $1, last_outbound_at = $2, answered_through = $4 WHERE id = $3`)
)

func (t *tx) ThreadActivity(ctx context.Context, threadID string, lastMessageAt time.Time, inboundAt, outboundAt, answeredThrough *time.Time) error {
	args := []any{store.TimeText(lastMessageAt), nil, threadID}
	var q string
	switch {
	case inboundAt != nil && outboundAt == nil && answeredThrough == nil:
		q, args[1] = inboundActivitySQL, store.TimeText(*inboundAt)
	case outboundAt != nil && inboundAt == nil && answeredThrough != nil:
		q, args[1] = outboundActivitySQL, store.TimeText(*outboundAt)
		args = append(args, store.TimeText(*answeredThrough))
	default:
		return fmt.Errorf("activity of thread %s: want exactly one of an inbound and an outbound time, and how far an outbound answers with it", threadID)
	}
	t.forgetRoutes("", "", threadID)
	// Held (pipe): it goes with the fn's next statement (an inbound text
	// reads the inbox state next) or its end; callers return its error as
	// it is, and the fn fails with it all the same.
	t.q.holdRefusable("activity of thread "+threadID, q, refusedAs(codeTooFew, fmt.Errorf("thread %s: %w", threadID, store.ErrNotFound)),
		args...)
	return nil
}

// claimInitialSQL is the SQLite engine's, its parameters spelled $n: $1
// contact, $2 user, $3 action, $4 scripts (JSON, as stored), $5 hours
// start, $6 hours end, $7 organization, $8 phone, $9 since, $10 message id,
// $11 mutation id, $12 campaign, $13 the volunteer's number. The UPDATE locks the contact's row, so a concurrent
// claim of it waits and then finds it texted. COALESCE hides the state
// from contacts_assigned's predicate, as in the dispatcher's old claim:
// planned on that index (the volunteer's queue, which its other conditions
// also match) the claim read the volunteer's remaining contacts each time,
// 39 us a claim in the load test against 33 by the primary key
// (TestFirstTextClaimReadsByKey).
const claimInitialSQL = `UPDATE contacts SET state = 'texted'
	WHERE id = $1 AND COALESCE(state, '') = 'assigned' AND assigned_to = $2 AND action_id = $3
	AND EXISTS (SELECT 1 FROM actions a WHERE a.id = $3 AND a.scripts = $4 AND a.hours_start = $5 AND a.hours_end = $6)
	AND EXISTS (SELECT 1 FROM number_assignments na WHERE na.campaign_id = $12 AND na.user_id = $2 AND na.phone = $13)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = $7 AND o.phone = $8)
	AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = $2 AND b.phone = $8)
	AND NOT EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = $8 AND th.organization_id = $7
		AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = th.id AND m.initial = 1 AND m.created_at >= $9))
	AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = $10)
	AND NOT EXISTS (SELECT 1 FROM mutations mu WHERE mu.id = $11)`

// claimInitialHeldSQL is the claim held (deferClaims): PostgreSQL refuses
// it if it claims nothing (checks.go).
var claimInitialHeldSQL = countChecked(claimInitialSQL)

// errClaimLost: a held claim claimed nothing; the group runs again with
// its claims answered (eachOnce).
var errClaimLost = errors.New("something the checks read changed")

func (t *tx) ClaimInitial(ctx context.Context, q store.InitialClaim) (bool, error) {
	scripts, err := json.Marshal(nonNil(q.Scripts))
	if err != nil {
		return false, fmt.Errorf("claim contact %s: encode scripts: %w", q.ContactID, err)
	}
	args := []any{q.ContactID, q.UserID, q.ActionID, string(scripts),
		q.Hours.Start, q.Hours.End, q.OrganizationID, q.Phone, store.TimeText(q.InitialSince), q.MessageID, q.MutationID,
		q.CampaignID, q.Number}
	if t.deferClaims {
		t.q.holdRefusable("claim contact "+q.ContactID+" for a first text", claimInitialHeldSQL,
			refusedAs(codeTooFew, fmt.Errorf("claim contact %s for a first text: %w", q.ContactID, errClaimLost)), args...)
		t.claimed = true
		return true, nil
	}
	tag, err := t.q.Exec(ctx, claimInitialSQL, args...)
	if err != nil {
		return false, fmt.Errorf("claim contact %s for a first text: %w", q.ContactID, err)
	}
	t.claimed = tag.RowsAffected() == 1
	return t.claimed, nil
}

// setStatusesSQL records a batch of provider answers in one statement (one
// round trip for the batch, where SetMessageStatus takes two a row), and
// all of them or none: PostgreSQL would abort the whole transaction on a
// unique violation, so a provider id held by another message is looked for
// first, as is a message that does not exist; either leaves every row as it
// was and is answered in the flags. A message twice in a batch, or a
// provider id given to two of its messages, is refused before it is sent
// (a check of each row against the batch in SQL cost a comparison per pair:
// 6.6 ms for a batch of 180 answers, a third of it the pairs).
// $1-$6 the rows' id, status, provider id (NULL: keep), error, sent time
// (NULL: keep) and claim (NULL: none); $7 this server's key, the claimer
// of a text set back to sending. A row with a claim is written only while
// its text is sending under that key, and skipped otherwise (another
// server took it over: server/dispatch_lease.go).
const setStatusesCTE = `WITH r AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
			AS r(id, status, provider_id, error, sent_at, claim)
	), skipped AS (
		SELECT 1 FROM r JOIN messages m ON m.id = r.id
		WHERE r.claim IS NOT NULL AND NOT (m.status = 'sending' AND m.claimed_by IS NOT DISTINCT FROM r.claim)
	), taken AS (
		SELECT 1 FROM r WHERE r.provider_id IS NOT NULL AND
			EXISTS (SELECT 1 FROM messages m WHERE m.provider_id = r.provider_id AND m.id <> r.id)
	), missing AS (
		SELECT 1 FROM r WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = r.id)
	), u AS (
		UPDATE messages m SET status = r.status, provider_id = COALESCE(r.provider_id, m.provider_id), error = r.error,
			sent_at = COALESCE(r.sent_at, m.sent_at), claimed_by = CASE WHEN r.status = 'sending' THEN $7::bigint END
		FROM r WHERE m.id = r.id AND (r.claim IS NULL OR m.status = 'sending' AND m.claimed_by = r.claim)
		AND NOT EXISTS (SELECT 1 FROM taken) AND NOT EXISTS (SELECT 1 FROM missing)
		RETURNING 1
	)`

const (
	// setStatusesSQL answers the flags.
	setStatusesSQL = setStatusesCTE + `
	SELECT EXISTS (SELECT 1 FROM taken), EXISTS (SELECT 1 FROM missing), (SELECT count(*) FROM u) + (SELECT count(*) FROM skipped)`
	// setStatusesHeldSQL checks them itself (checks.go): a provider id
	// taken, a row missing or neither written nor skipped ($8 the rows)
	// is codeTooFew.
	setStatusesHeldSQL = setStatusesCTE + `
	SELECT 1 / (NOT EXISTS (SELECT 1 FROM taken) AND (SELECT count(*) FROM u) + (SELECT count(*) FROM skipped) = $8::bigint)::int`
)

func (t *tx) SetMessageStatuses(ctx context.Context, rows []store.MessageStatus) error {
	n := len(rows)
	if n == 0 {
		return nil
	}
	ids, statuses, errs := make([]string, n), make([]string, n), make([]string, n)
	providers, sent, claims := make([]*string, n), make([]*string, n), make([]*int64, n)
	seen := make(map[string]bool, n)
	pids := make(map[string]bool, n)
	for i, r := range rows {
		if seen[r.ID] {
			// The UPDATE would write one of its two answers, either.
			return fmt.Errorf("set status of %d messages: message %s has two answers: %w", n, r.ID, store.ErrNotFound)
		}
		seen[r.ID] = true
		if r.ProviderID != "" {
			if pids[r.ProviderID] {
				return fmt.Errorf("set status of %d messages: provider id %s is given twice: %w", n, r.ProviderID, store.ErrDuplicate)
			}
			pids[r.ProviderID] = true
		}
		ids[i], statuses[i], errs[i] = r.ID, r.Status, r.Error
		if r.ProviderID != "" {
			providers[i] = &r.ProviderID
		}
		if r.SentAt != nil {
			at := store.TimeText(*r.SentAt)
			sent[i] = &at
		}
		if key, ok := t.s.lease.keyOf(r.Lease); ok {
			claims[i] = &key
		}
	}
	t.forgetProviderIDs(providers)
	if t.deferClaims {
		// In a group: held, to ride with the feed rows and COMMIT. Its
		// refusal runs the group again careful (deferClaims is off then),
		// where it is answered and the caller sees which refusal it was
		// (and may record the answers one by one).
		t.q.holdRefusable(fmt.Sprintf("set status of %d messages", n), setStatusesHeldSQL,
			refusedAs(codeTooFew, fmt.Errorf("set status of %d messages: refused: %w", n, store.ErrNotFound)),
			ids, statuses, providers, errs, sent, claims, t.key, n)
		return nil
	}
	var taken, missing bool
	var updated int64
	if err := t.q.QueryRow(ctx, setStatusesSQL, ids, statuses, providers, errs, sent, claims, t.key).Scan(&taken, &missing, &updated); err != nil {
		return fmt.Errorf("set status of %d messages: %w", n, err)
	}
	switch {
	case taken:
		return fmt.Errorf("set status of %d messages: a provider id is taken: %w", n, store.ErrDuplicate)
	case missing:
		return fmt.Errorf("set status of %d messages: one does not exist: %w", n, store.ErrNotFound)
	case updated != int64(n):
		return fmt.Errorf("set status of %d messages: %d found: %w", n, updated, store.ErrNotFound)
	}
	return nil
}
