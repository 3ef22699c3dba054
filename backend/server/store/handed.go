package store

// HandedSinceSQL lists the provider ids of outbound texts handed to a
// provider and created after a time (TimeText), oldest first: what
// textbankd asks before the simulated network serves a data directory
// (which texts of its database went out through another provider since
// the simulated network last wrote its journal). A scan of messages, once
// at a simulated server's start; never on a request's path.
const HandedSinceSQL = `SELECT provider_id FROM messages
	WHERE direction = 'out' AND provider_id IS NOT NULL AND created_at > ? ORDER BY created_at, id`
