package store

// DanglingSQL counts the rows of the tables every text and reply writes
// (threads, messages, mutations, feed) that point at a row that is not
// there, and the threads whose contact, action, campaign and organization
// disagree. PostgreSQL checks none of their references (its migration
// 0010 dropped those foreign keys for the writer's throughput), so the
// load test runs this at the end of every run, on both engines, and every
// PostgreSQL test database runs it before it is dropped (pgtest).
const DanglingSQL = `SELECT
	(SELECT COUNT(*) FROM threads th
		WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = th.id AND c.action_id = th.action_id)
		OR NOT EXISTS (SELECT 1 FROM actions a WHERE a.id = th.action_id AND a.campaign_id = th.campaign_id)
		OR NOT EXISTS (SELECT 1 FROM campaigns ca WHERE ca.id = th.campaign_id AND ca.organization_id = th.organization_id)
		OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = th.owner_id))
	+ (SELECT COUNT(*) FROM messages m
		WHERE NOT EXISTS (SELECT 1 FROM threads th WHERE th.id = m.thread_id)
		OR m.sender_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.sender_id)
		OR m.routed_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.routed_to))
	+ (SELECT COUNT(*) FROM mutations mu WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = mu.user_id))
	+ (SELECT COUNT(*) FROM feed f WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = f.user_id))`
