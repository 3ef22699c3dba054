package secrets_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/textbank/textbank/backend/secrets"
)

// memKeyring is a keyring that may refuse to answer (no Secret Service).
type memKeyring struct {
	down bool
	m    map[string]string
}

func (k *memKeyring) Get(s, u string) (string, error) {
	if k.down {
		return "", errors.New("no keyring")
	}
	v, ok := k.m[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(s, u, v string) error {
	if k.down {
		return errors.New("no keyring")
	}
	k.m[s+"/"+u] = v
	return nil
}

func (k *memKeyring) Delete(s, u string) error {
	delete(k.m, s+"/"+u)
	return nil
}

func TestTokenGoesToTheKeyringNotTheFile(t *testing.T) {
	kr := &memKeyring{m: map[string]string{}}
	v := secrets.NewVault(kr, "Textbank", "/home/ada/.config/Textbank")
	stored := v.Seal("tok-123")
	if strings.Contains(stored, "tok-123") {
		t.Fatalf("the cache would store %q: the token itself", stored)
	}
	if v.Storage() != secrets.InKeyring {
		t.Fatalf("storage %q, want keyring", v.Storage())
	}
	// A new process opens it.
	v2 := secrets.NewVault(kr, "Textbank", "/home/ada/.config/Textbank")
	got, err := v2.Open(stored)
	if err != nil || got != "tok-123" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	v2.Forget()
	if _, err := v2.Open(stored); err == nil || !strings.Contains(err.Error(), "sign in again") {
		t.Fatalf("after Forget: %v, want a request to sign in again", err)
	}
}

func TestNoKeyringFallsBackToTheFileAndSaysSo(t *testing.T) {
	kr := &memKeyring{down: true, m: map[string]string{}}
	v := secrets.NewVault(kr, "Textbank", "x")
	if stored := v.Seal("tok-123"); stored != "tok-123" {
		t.Fatalf("with no keyring the cache must keep the token, got %q", stored)
	}
	if v.Storage() != secrets.InFile {
		t.Fatalf("storage %q, want file", v.Storage())
	}
	got, err := v.Open("tok-123")
	if err != nil || got != "tok-123" || v.Storage() != secrets.InFile {
		t.Fatalf("Open = %q, %v, storage %q", got, err, v.Storage())
	}
}

func TestKeyringDownAfterSavingIsAnError(t *testing.T) {
	kr := &memKeyring{m: map[string]string{}}
	stored := secrets.NewVault(kr, "Textbank", "x").Seal("tok")
	kr.down = true
	if _, err := secrets.NewVault(kr, "Textbank", "x").Open(stored); err == nil || !strings.Contains(err.Error(), "keyring") {
		t.Fatalf("err = %v, want one naming the keyring", err)
	}
}
