package store

import "github.com/textbank/textbank/backend/api"

// FeedFirstText is the kind of the one feed row a first text writes (the
// writer is shared, and each row is an insert into the feed and its
// index): its entity is the message, and sync expands it into the three
// changes it stands for, the contact's assignment (gone once texted), the
// new thread (both have the contact's id) and the message, each with the
// row's version. The wire is as if three rows had been written.
const FeedFirstText = "first_text"

// SupersededFeedSQL lists (user ?1, at most ?2, oldest first) the feed rows
// compaction deletes: rows whose deletion changes nothing a client ends up
// with or is told, whatever its cursor and page size (docs/ARCHITECTURE.md,
// "Feed compaction"). Sync loads every entity as it is now, so deleting a
// row that has a newer row for the same entity only moves, for a client
// whose cursor is before it, where that entity first reaches the client:
// later, to the newer row. The cache's state does not depend on that order
// (it holds a message before its thread, and derives a thread's columns
// from whichever messages it holds), but two things it does at a page's
// end do: it announces an inbound message it did not hold, unless the
// message came before its thread's hand-over in the feed (a hand-over
// writes the history, then the thread, then the unread replies: server
// reassign), or the thread is blocked or opted out, and it forgets a
// contact's details when it holds neither the contact's assignment nor its
// thread. Rows of threads and of inbound messages are kept, so the order
// the first reads stays as written. So only two kinds of row go:
//   - an outbound message's row with a newer row for the message (its
//     claim and its send, once the carrier's delivery is in): outbound
//     messages are never announced, and moving one later never puts it
//     before its thread.
//   - a contact's assignment row that is the contact's first row in the
//     user's feed, followed next by the first text (which delivers the
//     assignment's end with the thread): a client before it never held the
//     contact, so it has nothing to forget, and the first text's page gives
//     it the thread. The rows of a thread are told apart by their thread
//     (an assignment's id is its contact's, which is its thread's; a
//     message, first text or report names its thread).
//
// A hand-back's handover row is no row of a thread here (it stays, as
// thread rows do): an app before it that still holds the thread drops it
// there, ahead of the history that follows, and each hand-back already
// deletes the user's older one (HandBackSQL).
//
// Deleting such rows never makes another row qualify that did not before,
// so a list read earlier stays right, and two servers may delete from lists
// read at different times. What stays, and why, is in docs/ARCHITECTURE.md.
const SupersededFeedSQL = `WITH f AS (
	SELECT f.seq, f.kind, f.entity_id, m.direction,
		CASE WHEN f.kind IN ('` + api.KindThread + `', '` + api.KindAssignment + `') THEN f.entity_id
			WHEN f.kind IN ('` + api.KindMessage + `', '` + FeedFirstText + `') THEN m.thread_id
			WHEN f.kind = '` + api.KindReport + `' THEN r.thread_id END AS thread_id
	FROM feed f
	LEFT JOIN messages m ON f.kind IN ('` + api.KindMessage + `', '` + FeedFirstText + `') AND m.id = f.entity_id
	LEFT JOIN reports r ON f.kind = '` + api.KindReport + `' AND r.id = f.entity_id
	WHERE f.user_id = ?
), w AS (
	SELECT seq, kind, direction, thread_id,
		LAG(kind) OVER (PARTITION BY thread_id ORDER BY seq) AS prev_kind,
		LEAD(kind) OVER (PARTITION BY thread_id ORDER BY seq) AS next_kind,
		LEAD(seq) OVER (PARTITION BY kind, entity_id ORDER BY seq) AS newer
	FROM f
)
SELECT seq FROM w WHERE thread_id IS NOT NULL AND (
	kind = '` + api.KindAssignment + `' AND prev_kind IS NULL AND next_kind = '` + FeedFirstText + `'
	OR kind = '` + api.KindMessage + `' AND direction = '` + api.DirOutbound + `' AND newer IS NOT NULL)
ORDER BY seq LIMIT ?`
