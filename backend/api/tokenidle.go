package api

import "time"

// TokenIdle is how long a sign-in's token may go unused before the server
// ends it (session_expired): the rule's one home, read by the server, which
// ends the token, and by the app, which knows a sign-in the server has not
// accepted for longer than this is over even when it cannot ask
// (client/ended.go).
const TokenIdle = 30 * 24 * time.Hour
