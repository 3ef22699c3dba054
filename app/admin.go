package app

import "github.com/textbank/textbank/backend/api"

// Admin is bound to the window for campaign admins: the Admin section.
// The server checks the role; volunteers get an error.
type Admin struct{ core *Core }

func NewAdmin(core *Core) *Admin { return &Admin{core: core} }

// Overview is the Admin section of a campaign: threads reassigned to the
// caller, reports of abuse, unroutable texts and opt-ins (START/UNSTOP).
func (a *Admin) Overview(campaignID string) (api.AdminOverview, error) {
	return a.core.Client.AdminOverview(a.core.context(), campaignID)
}

// Thread is every text of one conversation of the campaign (a blocked one,
// from a report of abuse), oldest first. Admins only: the server checks.
func (a *Admin) Thread(campaignID, threadID string) ([]api.Message, error) {
	msgs, err := a.core.Client.AdminThread(a.core.context(), campaignID, threadID)
	if msgs == nil {
		msgs = []api.Message{}
	}
	return msgs, err
}
