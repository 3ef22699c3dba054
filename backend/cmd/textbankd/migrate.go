package main

import (
	"context"
	"fmt"
)

func migrateCommands() []command {
	return []command{
		{name: "migrate", run: runMigrate,
			summary: "apply the database's migrations and print its schema version (serve applies them too; a database newer than this textbankd is refused)"},
	}
}

// MigrateResult is what migrate --json prints.
type MigrateResult struct {
	Version int64 `json:"version"` // the database's newest migration
	Latest  int64 `json:"latest"`  // the newest this textbankd knows
}

// runMigrate: opening the store (runGroup) applied the migrations, or
// refused a database ahead of this program; what is left is to say where
// the database stands.
func runMigrate(ctx context.Context, c *cli, _ []string) error {
	v, err := c.st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(MigrateResult{Version: v.Current, Latest: v.Latest})
		return nil
	}
	fmt.Fprintf(c.stdout, "schema version %d (the newest this textbankd knows: %d)\n", v.Current, v.Latest)
	return nil
}
