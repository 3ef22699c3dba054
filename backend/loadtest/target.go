package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
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
		"archive it with: textbankd campaign archive %s --yes%s", s.campaign, s.joinCode, o.Contacts, where, s.joinCode, data)
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.Target+api.PathHealth, nil)
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

// checkSameDatabase refuses to seed a database that is not the target's
// own: --db (or --data) names it apart from --target, and a production
// database given there by mistake would get the run's campaign of
// thousands of fictional contacts, though every check of the target
// passed. An account made through the target must be in it. The probe
// account stays in the target's database, beside the run's volunteers.
func checkSameDatabase(ctx context.Context, target string, st store.Store) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	probe := hex.EncodeToString(b[:])
	email := "load-probe-" + probe + "@example.org"
	c := api.NewClient(target, &http.Client{Timeout: 30 * time.Second})
	if _, err := c.Signup(ctx, api.SignupRequest{Name: "Load test probe", Email: email, Password: "load test probe " + probe}); err != nil {
		return fmt.Errorf("--target %s: make the run's probe account (to check the database is the target's): %w", target, err)
	}
	err := st.View(ctx, func(tx store.Tx) error {
		_, err := tx.UserByEmail(ctx, email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("the database the run would write its campaign to is not the one the server at --target uses " +
			"(an account made through the target is not in it): give the target's own --data, and its --db if it runs on PostgreSQL")
	}
	if err != nil {
		return fmt.Errorf("check the database is the target's: %w", err)
	}
	return nil
}
