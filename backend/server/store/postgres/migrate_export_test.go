package postgres

// LiveServersSQL lets the external tests count running servers as the
// migration's refusal does.
const LiveServersSQL = liveServersSQL
