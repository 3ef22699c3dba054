package store

// Listeners are what a store several servers share (PostgreSQL, through
// LISTEN/NOTIFY) tells a server of as the others (or organizer commands)
// commit. A nil func is not called.
type Listeners struct {
	// Ready: listening has begun; nothing announced after it is missed.
	Ready func()
	// Poke: the user's feed grew.
	Poke func(userID string)
	// Gone: a token changed or was deleted (a sign-out); "" for every token.
	Gone func(tokenHash string)
	// Guessed: a server announced a failed guess, an account made or a
	// batch of pushes (AnnounceGuess); the payload is the server's own
	// encoding.
	Guessed func(payload string)
	// Admin: a commit changed what the campaign's Admin section shows
	// (Tx.AdminChanged).
	Admin func(campaignID string)
	// Roles: a commit may have changed the user's memberships or admin
	// rights (Tx.RolesChanged); their feed grew too (Poke).
	Roles func(userID string)
}
