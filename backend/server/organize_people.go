package server

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// AdminChange says what admin add or remove did.
type AdminChange struct {
	Email    string `json:"email"`
	Campaign string `json:"campaign"`
	JoinCode string `json:"joinCode"`
	Role     string `json:"role"` // the user's role now
	Changed  bool   `json:"changed"`
	// Actions whose reassigned conversations moved to another admin (remove).
	ActionsMoved []string `json:"actionsMoved,omitempty"`
	// MovedTo is the email of the admin who now receives them.
	MovedTo string `json:"movedTo,omitempty"`
}

// AddAdmin makes the account with email an admin of the campaign: they
// receive reassigned conversations of the actions they create and see the
// campaign's unroutable texts. Their app hears of it at once. One members
// remove took off is refused (keptOut).
func (o *Organizer) AddAdmin(ctx context.Context, email, code string) (AdminChange, error) {
	email = account.NormalEmail(email)
	var out AdminChange
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, err := userByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		c, err := ActiveCampaign(ctx, tx, code)
		if err != nil {
			return err
		}
		if at, removed, err := keptOut(ctx, tx, c.ID, u.ID); err != nil {
			return err
		} else if removed {
			return errors.New(keptOutWords(u.Email, c, at) + "; nothing changed")
		}
		out = AdminChange{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode, Role: store.RoleAdmin}
		now := o.clock()
		if out.Changed, err = makeAdmin(ctx, tx, c.ID, u.ID, now); err != nil || !out.Changed {
			return err
		}
		return feedCampaign(ctx, tx, now, u.ID, c.ID)
	})
	return out, err
}

// RemoveAdmin makes an admin a volunteer of the campaign again. The last
// admin cannot be removed; actions the removed admin created send their
// reassigned conversations to the campaign's first remaining admin.
func (o *Organizer) RemoveAdmin(ctx context.Context, email, code string) (AdminChange, error) {
	email = account.NormalEmail(email)
	var out AdminChange
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, err := userByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		c, err := ActiveCampaign(ctx, tx, code)
		if err != nil {
			return err
		}
		out = AdminChange{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode, Role: store.RoleVolunteer}
		m, err := tx.Membership(ctx, c.ID, u.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && m.Role != store.RoleAdmin) {
			return fmt.Errorf("%s is not an admin of campaign %s", email, code)
		}
		if err != nil {
			return err
		}
		members, err := tx.Members(ctx, c.ID)
		if err != nil {
			return err
		}
		var heir string
		for _, x := range members {
			if x.Role == store.RoleAdmin && x.UserID != u.ID {
				heir = x.UserID
				break
			}
		}
		if heir == "" {
			return fmt.Errorf("%s is the only admin of campaign %s; add another admin first (someone has to receive reassigned conversations)", email, code)
		}
		now := o.clock()
		if err := tx.SetMembershipRole(ctx, c.ID, u.ID, store.RoleVolunteer); err != nil {
			return err
		}
		out.Changed = true
		actions, err := tx.ActionsByCampaign(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, a := range actions {
			if a.CreatorID != u.ID {
				continue
			}
			a.CreatorID = heir
			if err := tx.UpdateAction(ctx, a); err != nil {
				return err
			}
			out.ActionsMoved = append(out.ActionsMoved, a.Title)
			if out.MovedTo == "" {
				h, err := tx.UserByID(ctx, heir)
				if err != nil {
					return err
				}
				out.MovedTo = h.Email
			}
			if err := feedMembers(ctx, tx, now, c.ID, api.KindAction, a.ID); err != nil {
				return err
			}
		}
		return feed(ctx, tx, now, u.ID, api.KindCampaign, c.ID)
	})
	return out, err
}

func userByEmail(ctx context.Context, tx store.Accounts, email string) (store.User, error) {
	u, err := tx.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("no account has email %s; they sign up in the app first, or run textbankd users add", email)
	}
	return u, err
}

// UserListing is one line of users list.
type UserListing struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Email       string           `json:"email"`
	CreatedAt   string           `json:"createdAt"`
	Memberships []UserMembership `json:"memberships"`
}

type UserMembership struct {
	Campaign string `json:"campaign"`
	JoinCode string `json:"joinCode"`
	Role     string `json:"role"`
	// Archived: the campaign is over and its join code is free again, so
	// the code may also be a newer campaign's.
	Archived bool `json:"archived"`
}

// ListUsers lists every account with its campaigns and roles.
func (o *Organizer) ListUsers(ctx context.Context) ([]UserListing, error) {
	var rows []store.UserListing
	archived := map[string]bool{}
	if err := o.store.View(ctx, func(tx store.Tx) error {
		var err error
		if rows, err = tx.ListUsers(ctx); err != nil {
			return err
		}
		camps, err := tx.ListCampaigns(ctx, true)
		for _, c := range camps {
			archived[c.ID] = !c.Active
		}
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]UserListing, 0, len(rows))
	for _, r := range rows {
		l := UserListing{ID: r.ID, Name: r.Name, Email: r.Email, CreatedAt: csvTime(r.CreatedAt), Memberships: []UserMembership{}}
		for _, m := range r.Memberships {
			l.Memberships = append(l.Memberships, UserMembership{Campaign: m.Campaign, JoinCode: m.JoinCode, Role: m.Role,
				Archived: archived[m.CampaignID]})
		}
		out = append(out, l)
	}
	return out, nil
}

// CheckNewUser says what AddUser would refuse of the name and email (a
// malformed one, one an account has), so that the command line asks for a
// password only when one could be used.
func (o *Organizer) CheckNewUser(ctx context.Context, name, email string) error {
	req := api.SignupRequest{Name: name, Email: email}
	if err := validateNameAndEmail(&req); err != nil {
		return fieldError(err)
	}
	err := o.store.View(ctx, func(tx store.Tx) error {
		_, err := tx.UserByEmail(ctx, req.Email)
		return err
	})
	switch {
	case err == nil:
		return emailTaken(req.Email)
	case errors.Is(err, store.ErrNotFound):
		return nil
	}
	return err
}

// CheckAccount says whether an account has this email, as SetPassword
// would find it, before the command line asks for a new password.
func (o *Organizer) CheckAccount(ctx context.Context, email string) error {
	email = account.NormalEmail(email)
	return o.store.View(ctx, func(tx store.Tx) error {
		_, err := accountByEmail(ctx, tx, email)
		return err
	})
}

func emailTaken(email string) error {
	return fmt.Errorf("an account with email %s already exists", email)
}

// fieldError is a validation error as the command line says it: "email:
// ..." rather than an HTTP answer.
func fieldError(err error) error {
	var he *httpError
	if errors.As(err, &he) {
		return errors.New(fieldWords(he.body.Field, he.body.Message))
	}
	return err
}

// fieldWords is a field's problem with the field named before it
// ("email: ..."), unless the words already begin with it: "password must
// be at least 8 characters", not "password: password must be ...".
func fieldWords(field, msg string) string {
	if strings.HasPrefix(msg, field+" ") {
		return msg
	}
	return field + ": " + msg
}

// AddUser creates an account (the same rules as signing up in the app), so
// an organizer can set up admins on an empty server.
func (o *Organizer) AddUser(ctx context.Context, name, email, password string) (api.User, error) {
	req := api.SignupRequest{Name: name, Email: email, Password: password}
	if err := validateSignup(&req); err != nil {
		return api.User{}, fieldError(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Password), o.cost)
	if err != nil {
		return api.User{}, fmt.Errorf("hash password: %w", err)
	}
	u := store.User{ID: uuid.NewString(), Name: req.Name, Email: req.Email, PasswordHash: string(hash), CreatedAt: o.clock()}
	err = o.store.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, u) })
	if errors.Is(err, store.ErrEmailTaken) {
		return api.User{}, emailTaken(req.Email)
	}
	if err != nil {
		return api.User{}, err
	}
	return apiUser(u), nil
}

// SetPassword gives an account a new password (the sign-up's rules) and
// signs it out everywhere, for a volunteer who forgot theirs: every
// desktop signed in as them must sign in again with it. It returns how
// many sign-ins ended.
func (o *Organizer) SetPassword(ctx context.Context, email, password string) (int, error) {
	email = account.NormalEmail(email)
	if err := validatePassword(password, email); err != nil {
		var he *httpError
		if errors.As(err, &he) {
			return 0, fmt.Errorf("%s; the password was not changed", fieldWords(he.body.Field, he.body.Message))
		}
		return 0, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), o.cost)
	if err != nil {
		return 0, fmt.Errorf("hash password: %w", err)
	}
	var ended int
	err = o.store.Update(ctx, func(tx store.Tx) error {
		u, err := accountByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if err := tx.SetPasswordHash(ctx, u.ID, string(hash)); err != nil {
			return err
		}
		ended, err = tx.DeleteUserTokens(ctx, u.ID, "")
		return err
	})
	return ended, err
}

// RenameUser gives an account a new name (the sign-up's rules), the one
// its texts carry from then on, and returns the name it had. Running
// servers forget their cached sign-ins of it (SQLite: the file changed
// elsewhere; PostgreSQL: the tokens' trigger).
func (o *Organizer) RenameUser(ctx context.Context, email, name string) (old string, err error) {
	email, name = account.NormalEmail(email), strings.TrimSpace(name)
	if p := account.NameProblem(name); p != "" {
		return "", fmt.Errorf("%s; the name was not changed", fieldWords("name", p))
	}
	err = o.store.Update(ctx, func(tx store.Tx) error {
		u, err := accountByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		old = u.Name
		if old == name {
			return nil // nothing for its computers to hear of
		}
		return renameUser(ctx, tx, u.ID, name, o.clock())
	})
	return old, err
}

// SignOutEverywhere ends every sign-in of an account (a lost or stolen
// laptop) and says how many there were; the password stays.
func (o *Organizer) SignOutEverywhere(ctx context.Context, email string) (int, error) {
	email = account.NormalEmail(email)
	var ended int
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, err := accountByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		ended, err = tx.DeleteUserTokens(ctx, u.ID, "")
		return err
	})
	return ended, err
}

// SignOutEveryone ends every sign-in of every account, in one transaction
// (after a move from http:// to https://, the tokens that crossed the
// network in the clear), and says how many accounts had any and how many
// sign-ins ended; passwords stay. Each account's tokens go as
// SignOutEverywhere's do, so running servers forget them the same way.
func (o *Organizer) SignOutEveryone(ctx context.Context) (accounts, ended int, err error) {
	err = o.store.Update(ctx, func(tx store.Tx) error {
		accounts, ended = 0, 0 // a retried transaction counts again
		users, err := tx.ListUsers(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			n, err := tx.DeleteUserTokens(ctx, u.ID, "")
			if err != nil {
				return fmt.Errorf("sign %s out: %w", u.Email, err)
			}
			if n > 0 {
				accounts, ended = accounts+1, ended+n
			}
		}
		return nil
	})
	return accounts, ended, err
}

// SignInsEveryone is what SignOutEveryone would end, ending nothing: how
// many accounts have a sign-in and how many sign-ins there are.
func (o *Organizer) SignInsEveryone(ctx context.Context) (accounts, signIns int, err error) {
	err = o.store.View(ctx, func(tx store.Tx) error {
		accounts, signIns, err = tx.CountSignIns(ctx)
		return err
	})
	return accounts, signIns, err
}

func accountByEmail(ctx context.Context, tx store.Tx, email string) (store.User, error) {
	u, err := tx.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("no account has email %s (textbankd users list shows them)", email)
	}
	return u, err
}
