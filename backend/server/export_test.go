package server

// TokenCached says whether s answers token from its cache now (tests).
func (s *Server) TokenCached(token string) bool {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	_, ok := s.tokens.m[hashToken(token)]
	return ok && !s.tokens.off()
}

// TokensLive says whether s may cache tokens now: alone on its database,
// or hearing the other servers' token changes (tests).
func (s *Server) TokensLive() bool {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	return !s.tokens.off()
}
