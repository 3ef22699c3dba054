package app

import (
	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/joincode"
)

// Account is bound to the window: session and campaign membership.
type Account struct{ core *Core }

func NewAccount(core *Core) *Account { return &Account{core: core} }

func (a *Account) Status() client.Status {
	return a.core.Client.Status(a.core.context())
}

func (a *Account) SignUp(name, email, password string) (api.User, error) {
	v, err := a.core.Client.SignUp(a.core.waiting(CallSignUp, ""), name, email, password)
	return v, a.core.said("Account.SignUp", err)
}

func (a *Account) SignIn(email, password string) (api.User, error) {
	v, err := a.core.Client.SignIn(a.core.waiting(CallSignIn, ""), email, password)
	return v, a.core.said("Account.SignIn", err)
}

// CheckSignUp and CheckSignIn say what is wrong with each field of the
// forms (backend/account's rules), so the window asks before sending.
func (a *Account) CheckSignUp(name, email, password string) account.Problems {
	return account.CheckSignUp(name, email, password)
}

func (a *Account) CheckSignIn(email, password string) account.Problems {
	return account.CheckSignIn(email, password)
}

// CheckJoinCode says what is wrong with a typed join code, "" when
// nothing (backend/joincode's rule).
func (a *Account) CheckJoinCode(code string) string {
	if _, err := joincode.Parse(code); err != nil {
		return err.Error()
	}
	return ""
}

// Rename changes the volunteer's name (online only); the texts they send
// from then on carry it.
func (a *Account) Rename(name string) (api.User, error) {
	v, err := a.core.Client.Rename(a.core.context(), name)
	return v, a.core.said("Account.Rename", err)
}

// ChangePassword changes the volunteer's password (online only) and says
// how many sign-ins on other computers ended, or which field is wrong.
func (a *Account) ChangePassword(current, next string) (client.PasswordChange, error) {
	v, err := a.core.Client.ChangePassword(a.core.context(), current, next)
	return v, a.core.said("Account.ChangePassword", err)
}

func (a *Account) SignOut() error {
	return a.core.said("Account.SignOut", a.core.Client.SignOut(a.core.context()))
}

func (a *Account) SearchCampaigns(q string) ([]api.Campaign, error) {
	v, err := a.core.Client.SearchCampaigns(a.core.context(), q)
	return v, a.core.said("Account.SearchCampaigns", err)
}

func (a *Account) JoinCampaign(code string) (api.Campaign, error) {
	v, err := a.core.Client.JoinCampaign(a.core.waiting(CallJoin, ""), code)
	return v, a.core.said("Account.JoinCampaign", err)
}

func (a *Account) JoinCampaignByID(id string) (api.Campaign, error) {
	v, err := a.core.Client.JoinCampaignByID(a.core.waiting(CallJoin, ""), id)
	return v, a.core.said("Account.JoinCampaignByID", err)
}

func (a *Account) Campaigns() ([]api.Campaign, error) {
	v, err := a.core.Client.Campaigns(a.core.context())
	return v, a.core.said("Account.Campaigns", err)
}

func (a *Account) Actions(campaignID string) ([]api.Action, error) {
	v, err := a.core.Client.Actions(a.core.context(), campaignID)
	return v, a.core.said("Account.Actions", err)
}

// MinPassword is the shortest new password, for the sign-up's hint.
func (a *Account) MinPassword() int { return account.MinPassword }
