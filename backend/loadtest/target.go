package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// leftCampaign says what a run on a lasting database leaves in it: the
// campaign it seeded, and how to archive it. "" for the run's temporary
// SQLite file. A PostgreSQL URL is not shown: it may hold a password.
func leftCampaign(o Options, e *env, s seeded) string {
	if o.Target == "" && o.DB == "" {
		return ""
	}
	where, data := e.dbPath, ""
	if isPostgres(o.DB) {
		where, data = "the PostgreSQL database of --db", " --db postgres://..."
	} else if o.Target != "" {
		data = " --data " + o.Data
	}
	if o.Target != "" {
		where = "the target's database, " + where
	}
	return fmt.Sprintf("the run's campaign %q (join code %s, %d contacts with fictional numbers) stays in %s; "+
		"archive it with: textbankd campaign archive %s%s", s.campaign, s.joinCode, o.Contacts, where, s.joinCode, data)
}

// checkTarget refuses a --target that does not say it texts through the
// simulated network (GET /healthz "simulated", serve --provider sim),
// unless o.TargetNotProduction: a campaign's server listens on 127.0.0.1
// behind its proxy, one typo away, and the run leaves a campaign of
// thousands of contacts in its database (and with a real provider its
// volunteers' texts would go out). /healthz is asked rather than --data
// looked at: it is the server at --target that answers, and a data
// directory keeps a simulated network's journal after its server moved to
// Twilio (a first try with --demo). It says whether the target is
// simulated.
func checkTarget(ctx context.Context, o Options) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.Target+"/healthz", nil)
	if err != nil {
		return false, fmt.Errorf("--target %s: %w", o.Target, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, fmt.Errorf("--target %s: no textbankd answers there: %w", o.Target, err)
	}
	defer resp.Body.Close()
	var h api.Health
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&h) != nil || !h.OK {
		return false, fmt.Errorf("--target %s: GET /healthz answered %s, not a healthy textbankd", o.Target, resp.Status)
	}
	if h.Simulated || o.TargetNotProduction {
		return h.Simulated, nil
	}
	return false, fmt.Errorf("--target %s does not run --provider sim (its /healthz does not say \"simulated\"; textbankd %s): "+
		"it may be a campaign's server, and the run would leave a campaign of %d contacts in its database and send its "+
		"volunteers' texts through its provider; point --target at a textbankd serve --provider sim, or, if this server "+
		"is a test server, pass --target-is-not-production", o.Target, h.Version, o.Contacts)
}
