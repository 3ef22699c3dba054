package cache_test

import (
	"testing"
)

// TestUpgradeLearnsCampaignsOrganization: a cache from before 0013 holds
// campaigns as the server sent them; once upgraded, each one whose data
// names its organization has it at once, not only from its next change;
// one an older server sent without it stays without (it stands for its
// own organization), and data that is not JSON changes nothing.
func TestUpgradeLearnsCampaignsOrganization(t *testing.T) {
	after := upgradedCache(t, 12,
		`INSERT INTO campaigns(id, name, data) VALUES ('c1', 'One', '{"id":"c1","name":"One","organizationId":"o1"}')`,
		`INSERT INTO campaigns(id, name, data) VALUES ('c2', 'Two', '{"id":"c2","name":"Two"}')`,
		`INSERT INTO campaigns(id, name, data) VALUES ('c3', 'Three', 'not json')`,
	)
	for id, want := range map[string]string{"c1": "o1", "c2": "", "c3": ""} {
		var got string
		if err := after.QueryRow(`SELECT organization_id FROM campaigns WHERE id = ?`, id).Scan(&got); err != nil || got != want {
			t.Errorf("campaign %s's organization after the upgrade: %q %v, want %q", id, got, err, want)
		}
	}
}
