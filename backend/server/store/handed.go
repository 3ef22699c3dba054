package store

// HandedSinceSQL lists the provider ids of outbound texts handed to a
// provider after a time (TimeText), oldest first: when the provider took
// it (sent_at), or, for a text with no such time recorded, when it was
// queued. What textbankd asks before the simulated network serves a data
// directory (which texts of its database went out through another
// provider since the simulated network last wrote its journal): a text
// queued before then and sent through Twilio after counts. A scan of
// messages, once at a simulated server's start; never on a request's path.
const HandedSinceSQL = `SELECT provider_id FROM messages
	WHERE direction = 'out' AND provider_id IS NOT NULL AND COALESCE(sent_at, created_at) > ?
	ORDER BY COALESCE(sent_at, created_at), id`
