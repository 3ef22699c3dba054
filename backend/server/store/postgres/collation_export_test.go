package postgres

// RequireCollation is requireCollation for collation_test.go, which needs
// pgtest (which imports this package) and so is an external test.
var RequireCollation = requireCollation
