package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/textbank/textbank/backend/account"
)

func usersCommands() []command {
	return []command{
		{name: "users list", summary: "list every account with its campaigns and roles", run: runUsersList},
		{name: "users add", args: "EMAIL", needs: "--name NAME", nargs: 1, run: runUsersAdd,
			summary: "create an account (for an admin on an empty server); --name is required; the password is read from TEXTBANK_PASSWORD, typed twice at a prompt on a terminal, or the first line of stdin, never a flag",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.name, "name", "", "the person's name, as the app shows it; required (TEXTBANK_USER_NAME)")
				return map[string]string{"name": "TEXTBANK_USER_NAME"}
			}},
		{name: "users rename", args: "EMAIL", needs: "--name NAME", nargs: 1, run: runUsersRename,
			summary: "give an account a new name, the one its texts carry from then on ({volunteer_name}); texts already sent keep the old one",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.StringVar(&o.name, "name", "", "the person's new name, as the app shows it and texts carry it; required (TEXTBANK_USER_NAME)")
				return map[string]string{"name": "TEXTBANK_USER_NAME"}
			}},
		{name: "users password", args: "EMAIL", nargs: 1, run: runUsersPassword,
			summary: "give an account a new password (for someone who forgot theirs), read as users add reads it, and sign it out everywhere"},
		{name: "users sign-out", args: "EMAIL | --all --yes", nargs: -1, checkArgs: signOutArgs, run: runUsersSignOut,
			summary: "sign an account out on every computer (a lost or stolen laptop), or with --all --yes every account (after moving the server to https://); passwords stay",
			flags: func(fs *flag.FlagSet, o *cliOpts) map[string]string {
				fs.BoolVar(&o.all, "all", false, "sign every account out, not one (needs --yes; no variable: typed on purpose)")
				fs.BoolVar(&o.yes, "yes", false, "confirm --all: every volunteer and admin must sign in again (no variable: typed on purpose)")
				return nil // no environment variables: ending everyone's sign-ins is typed on purpose
			}},
	}
}

func runUsersList(ctx context.Context, c *cli, _ []string) error {
	users, err := c.org.ListUsers(ctx)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(users)
		return nil
	}
	if len(users) == 0 {
		fmt.Fprintln(c.stdout, "No accounts yet: people sign up in the app, or textbankd users add EMAIL --name NAME makes one.")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tCAMPAIGNS\tSINCE")
	for _, u := range users {
		var ms []string
		for _, m := range u.Memberships {
			role := m.Role
			if m.Archived {
				role += ", archived" // its code may be a newer campaign's now
			}
			ms = append(ms, fmt.Sprintf("%s %s (%s)", m.JoinCode, m.Campaign, role))
		}
		since, err := time.Parse(time.RFC3339, u.CreatedAt)
		if err != nil {
			return fmt.Errorf("account %s: %w", u.Email, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Name, strings.Join(ms, "; "), listingTime(since))
	}
	return tw.Flush()
}

func runUsersAdd(ctx context.Context, c *cli, args []string) error {
	if strings.TrimSpace(c.opts.name) == "" {
		return errors.New("give the person's name with --name")
	}
	// A mistyped or taken email is said before the password is typed twice.
	if err := c.org.CheckNewUser(ctx, c.opts.name, args[0]); err != nil {
		return err
	}
	password, err := c.password("nothing was created")
	if err != nil {
		return err
	}
	u, err := c.org.AddUser(ctx, c.opts.name, args[0], password)
	if err != nil {
		return err
	}
	if c.opts.json {
		c.printJSON(u)
		return nil
	}
	fmt.Fprintf(c.stdout, "Created account %s (%s), id %s.\n", u.Email, u.Name, u.ID)
	return nil
}

func runUsersRename(ctx context.Context, c *cli, args []string) error {
	if strings.TrimSpace(c.opts.name) == "" {
		return errors.New("give the person's new name with --name")
	}
	old, err := c.org.RenameUser(ctx, args[0], c.opts.name)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.opts.name)
	if c.opts.json {
		c.printJSON(map[string]string{"email": account.NormalEmail(args[0]), "name": name, "previousName": old})
		return nil
	}
	if old == name {
		fmt.Fprintf(c.stdout, "%s is named %q already; nothing changed.\n", account.NormalEmail(args[0]), name)
		return nil
	}
	fmt.Fprintf(c.stdout, "Renamed %s from %q to %q: the texts they send from now on carry the new name.\n", account.NormalEmail(args[0]), old, name)
	return nil
}

func runUsersPassword(ctx context.Context, c *cli, args []string) error {
	if err := c.org.CheckAccount(ctx, args[0]); err != nil {
		return err
	}
	password, err := c.password("the password was not changed")
	if err != nil {
		return err
	}
	ended, err := c.org.SetPassword(ctx, args[0], password)
	if err != nil {
		return err
	}
	return c.signedOut(args[0], ended, "New password set for %s. ")
}

// signOutArgs: one EMAIL, or --all --yes.
func signOutArgs(args []string, o *cliOpts) error {
	switch {
	case o.all && len(args) > 0:
		return errors.New("give an EMAIL or --all, not both")
	case o.all:
		// Without --yes, runUsersSignOut says what --all would end and
		// ends nothing: the command line is right, only unconfirmed.
		return nil
	case o.yes:
		return errors.New("--yes confirms --all; to sign one account out give only its EMAIL")
	case len(args) != 1:
		return fmt.Errorf("want one EMAIL (or --all --yes for every account), got %s", argCount(len(args)))
	}
	return nil
}

func runUsersSignOut(ctx context.Context, c *cli, args []string) error {
	if c.opts.all && !c.opts.yes {
		return c.wouldSignOutEveryone(ctx)
	}
	if c.opts.all {
		return c.signOutEveryone(ctx)
	}
	ended, err := c.org.SignOutEverywhere(ctx, args[0])
	if err != nil {
		return err
	}
	return c.signedOut(args[0], ended, "")
}

// wouldSignOutEveryone is sign-out --all without --yes: as campaign
// archive without it, it says what it would end, ends nothing, and fails
// (exit status 1), so a script that left --yes out does not go on as if
// everyone were signed out. With nobody signed in there is nothing to
// confirm: it says so and succeeds, as --all --yes would (a script's
// state is the same either way: nobody signed in).
func (c *cli) wouldSignOutEveryone(ctx context.Context) error {
	accounts, signIns, err := c.org.SignInsEveryone(ctx)
	if err != nil {
		return err
	}
	if signIns == 0 {
		return c.signedOutEveryone(accounts, 0)
	}
	return fmt.Errorf("--all would end %s of %s; each must sign in again: add --yes to do it",
		count(signIns, "sign-in"), count(accounts, "account"))
}

func (c *cli) signOutEveryone(ctx context.Context) error {
	accounts, ended, err := c.org.SignOutEveryone(ctx)
	if err != nil {
		return err
	}
	return c.signedOutEveryone(accounts, ended)
}

// signedOutEveryone reports what sign-out --all ended (or, nobody signed
// in, that there was nothing to end).
func (c *cli) signedOutEveryone(accounts, ended int) error {
	if c.opts.json {
		c.printJSON(map[string]any{"accounts": accounts, "signedOut": ended})
		return nil
	}
	if ended == 0 {
		fmt.Fprintln(c.stdout, "No account was signed in anywhere; nothing ended.")
		return nil
	}
	fmt.Fprintf(c.stdout, "Ended %s of %s; each must sign in again.\n", count(ended, "sign-in"), count(accounts, "account"))
	return nil
}

// signedOut reports how many sign-ins of email ended: the running server
// forgets them within half a minute (its token cache; at once on
// PostgreSQL, where the change is announced).
func (c *cli) signedOut(email string, ended int, lead string) error {
	email = account.NormalEmail(email)
	if c.opts.json {
		c.printJSON(map[string]any{"email": email, "signedOut": ended})
		return nil
	}
	if lead != "" {
		fmt.Fprintf(c.stdout, lead, email)
	}
	switch ended {
	case 0:
		fmt.Fprintf(c.stdout, "%s was not signed in anywhere.\n", email)
	case 1:
		fmt.Fprintf(c.stdout, "Signed %s out of 1 computer; it must sign in again.\n", email)
	default:
		fmt.Fprintf(c.stdout, "Signed %s out of %d computers; each must sign in again.\n", email, ended)
	}
	return nil
}

// password is TEXTBANK_PASSWORD, else typed twice without echo on a
// terminal, else the first line of stdin (scripts pipe it in). unchanged
// ends the refusals: what did not happen for want of a password.
func (c *cli) password(unchanged string) (string, error) {
	if p := c.getenv("TEXTBANK_PASSWORD"); p != "" {
		return p, nil
	}
	if c.readSecret != nil {
		var typed [2]string
		for i, prompt := range []string{"Password: ", "Password again: "} {
			fmt.Fprint(c.stderr, prompt)
			p, err := c.readSecret()
			fmt.Fprintln(c.stderr)
			if err != nil {
				return "", fmt.Errorf("read the password: %w", err)
			}
			typed[i] = string(p)
		}
		switch {
		case typed[0] == "":
			return "", errors.New("no password typed; " + unchanged)
		case typed[0] != typed[1]:
			return "", errors.New("the two passwords differ; " + unchanged)
		}
		return typed[0], nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password: set TEXTBANK_PASSWORD or write it on stdin")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
