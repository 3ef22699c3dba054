package store

import "github.com/textbank/textbank/backend/api"

// A conversation handed to someone who held it before (A hands it to B, B
// hands it back) comes to A's feed as any hand-over does: its history,
// then the thread, then the replies no one who held it had read (server
// reassign), opened by a handover row. A's app, which may still hold the
// conversation from before if it did not sync while B held it, drops its
// copy at that row, and the hand-over reads as one of a conversation new
// to it: the hand-back is announced, the history is not (docs/API.md).
//
// That takes the rows A's feed already has of the conversation out of the
// way: sync sends an entity once a page, where it first appears, so an
// older row of the thread, or of one of its messages or reports, on the
// same page as the hand-over would put it before the handover row, to be
// dropped there, or the thread before its history. Each of those rows has
// a newer one in the hand-over, which delivers the entity as it is now; so
// they go, as compaction drops superseded rows (feedcompact.go), except
// the first texts', which also ended their contact's assignment: those
// become the contact's assignment row, delivered as it is now (gone), for
// an app that holds the assignment still.

// HandBackSQL are the statements of SupersedeHeldFeed in both engines,
// given how each says "col is one of the list parameter's ids" (in) and
// "col is one of the list parameter's feed positions" (inSeqs). held
// (user, list) lists the threads of the list the user held before: every
// holder but the present one handed it on once (a thread changes owner
// only by a hand-over), so reassignments_thread finds them. rows (user,
// list, list, list) lists the user's rows of those threads, by seq, the
// first texts' marked: the user's feed is read once (feed_user_seq),
// whatever the number of threads, and the rewrite (seqs) and the delete
// (DeleteFeed) find their rows by primary key. Only a hand-back pays the
// read, nothing on a send or a sync: finding the rows from the thread's
// own messages and reports instead would take an index on the feed's
// entity, which every send's row would write (docs/PERFORMANCE-LOG.md,
// "Hand-backs").
func HandBackSQL(in func(col string) string, inSeqs string) (held, rows, firstTexts string) {
	held = `SELECT DISTINCT thread_id FROM reassignments WHERE from_user_id = ? AND ` + in("thread_id")
	rows = `SELECT seq, kind = '` + FeedFirstText + `' FROM feed WHERE user_id = ? AND (
		kind IN ('` + api.KindThread + `', '` + api.KindHandover + `') AND ` + in("entity_id") + `
		OR kind IN ('` + api.KindMessage + `', '` + FeedFirstText + `') AND entity_id IN (SELECT id FROM messages WHERE ` + in("thread_id") + `)
		OR kind = '` + api.KindReport + `' AND entity_id IN (SELECT id FROM reports WHERE ` + in("thread_id") + `))`
	firstTexts = `UPDATE feed SET kind = '` + api.KindAssignment + `',
		entity_id = (SELECT m.thread_id FROM messages m WHERE m.id = feed.entity_id)
		WHERE seq ` + inSeqs
	return held, rows, firstTexts
}
