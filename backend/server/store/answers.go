package store

import "github.com/textbank/textbank/backend/inbox"

// RecountAnswersSQL is RecountAnswers' statement for both engines, less
// its list of message ids (a JSON array on SQLite, a text[] on PostgreSQL)
// and what it returns: each thread of a failed reply gets the furthest
// reach of its texts that still count as answers, found through
// messages_thread_initial (a thread's texts are few). A first text, and a
// reply stored before its reach was (migration 0035), reaches when it was
// made.
const RecountAnswersSQL = `UPDATE threads SET answered_through = (SELECT MAX(COALESCE(answers_through, created_at)) FROM messages
		WHERE thread_id = threads.id AND direction = 'out' AND ` + inbox.AnsweredSQL + `)
	WHERE id IN (SELECT thread_id FROM messages WHERE answers_through IS NOT NULL AND id `
