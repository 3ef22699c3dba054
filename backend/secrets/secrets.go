// Package secrets keeps the session token where the operating system keeps
// secrets (macOS Keychain, Windows Credential Manager, the Secret Service
// on Linux) and falls back to the cache file, readable by the volunteer
// alone, only when no keyring answers. Storage says which, for Settings.
package secrets

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"
)

// Keyring is the OS keyring (an interface so tests need no D-Bus).
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// OSKeyring is the real one.
type OSKeyring struct{}

func (OSKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (OSKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (OSKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// marker is what the cache stores instead of a token kept in the keyring.
const marker = "keyring:"

// Where the token is.
const (
	InKeyring = "keyring"
	InFile    = "file"
)

// Vault seals tokens into the keyring. Safe for concurrent use.
type Vault struct {
	kr            Keyring
	service, user string

	mu      sync.Mutex
	storage string
}

// NewVault keeps one token under service/user (the user names the data
// dir, so two data dirs do not share a sign-in).
func NewVault(kr Keyring, service, user string) *Vault {
	return &Vault{kr: kr, service: service, user: user}
}

// Seal stores token in the keyring and returns what the cache should store
// in its place: a marker, or the token itself when no keyring answers.
func (v *Vault) Seal(token string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.kr.Set(v.service, v.user, token); err != nil {
		v.storage = InFile
		return token
	}
	v.storage = InKeyring
	return marker
}

// Open turns what the cache stored back into the token.
func (v *Vault) Open(stored string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !strings.HasPrefix(stored, marker) {
		v.storage = InFile
		return stored, nil
	}
	token, err := v.kr.Get(v.service, v.user)
	if err != nil {
		if errors.Is(err, keyring.ErrNotFound) {
			return "", fmt.Errorf("the saved sign-in is gone from the keyring: sign in again")
		}
		return "", fmt.Errorf("read the sign-in from the keyring: %w", err)
	}
	v.storage = InKeyring
	return token, nil
}

// Forget removes the token from the keyring (sign-out).
func (v *Vault) Forget() {
	v.mu.Lock()
	defer v.mu.Unlock()
	_ = v.kr.Delete(v.service, v.user)
	v.storage = ""
}

// Storage says where the current token is: InKeyring, InFile, or "" when
// nobody is signed in (or not known yet).
func (v *Vault) Storage() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.storage
}
