// Package simdoor is the simulated network's door: how textbankd sim text
// hands a running simulated server a text an organizer chooses.
package simdoor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
)

// A serve on the simulated network takes texts an organizer chooses
// (textbankd sim text) over HTTP, at Path, and hands them to its
// network, which delivers them to the server's receive path as it does
// its contacts' replies. Only that server knows it is simulated, and only
// its answer can say at once what became of the text, or why nothing
// did. The door is the file File in --data, which the server
// writes at start (mode 0600) and removes at its stop: the address to
// ask and a key made at each start. Whoever may read --data may use it
// (on SQLite they may write the database anyway); the server takes the
// request only with that key, from its own machine, not through a proxy.

// File names the door in --data while a simulated server runs.
const File = "simnet-door.json"

// Path is where the server takes a chosen text.
const Path = "/simnet/text"

// Door is File's content.
type Door struct {
	URL string `json:"url"` // http://127.0.0.1:PORT
	Key string `json:"key"`
}

// Text is a chosen text, as sim text sends it.
type Text struct {
	// ID is the provider's message id the text comes under (SM and 32 hex
	// digits, simnet.CheckID); the network makes one when it is empty. The
	// same id twice is a text the provider delivered twice.
	ID   string `json:"id,omitempty"`
	From string `json:"from"`
	To   string `json:"to"`
	Body string `json:"body"`
}

// Answer is what became of a text the server stored.
type Answer struct {
	ProviderID string `json:"providerId,omitempty"`
	// Repeat: a text under this provider id was stored already, and
	// nothing new was (the rest describes that text).
	Repeat bool `json:"repeat"`
	// Conversation is the one the text joined; nil when none claimed it
	// (Unroutable) or the server could not read it back.
	Conversation *Conversation `json:"conversation,omitempty"`
	Unroutable   bool          `json:"unroutable"`
	// OptedOut: the number is opted out of the organization now (the
	// text was an opt-out word, or an earlier one stands).
	OptedOut bool `json:"optedOut"`
}

// Refusal is the server's answer to a text it did not store.
type Refusal struct {
	Error string `json:"error"`
}

// Conversation is the one a text joined.
type Conversation struct {
	Contact string `json:"contact"` // the contact's name
	Owner   string `json:"owner"`   // whose inbox it is in: name
	Email   string `json:"email"`   // and email
}

// Open writes the door in dataDir for the server listening on
// addr; the returned func removes it. Written whole or not at all: sim
// text never reads half of it.
func Open(dataDir, addr, key string) (func(), error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("the simulated network's door: %w", err)
	}
	// Listening on every address (0.0.0.0, ::): asked on loopback.
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.Is6() {
			host = "::1"
		}
	}
	content, err := json.Marshal(Door{URL: "http://" + net.JoinHostPort(host, port), Key: key})
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, File)
	f, err := os.CreateTemp(dataDir, "."+File+"-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("the simulated network's door: %w", err)
	}
	_, err = f.Write(append(content, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("the simulated network's door: %w", err)
	}
	return func() { os.Remove(path) }, nil
}

// Read reads the door a simulated server keeps in dataDir.
func Read(dataDir string) (Door, error) {
	path := filepath.Join(dataDir, File)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, derr := os.Stat(dataDir); derr != nil {
			return Door{}, fmt.Errorf("--data %s: %w", dataDir, derr)
		}
		return Door{}, fmt.Errorf("no server on the simulated network runs on --data %s: it holds no %s, which textbankd serve --provider sim "+
			"(or --demo) keeps there while it runs, as the desktop app's --demo does in the folder it names at its start; "+
			"a server with --provider twilio or none takes no simulated text. Start one, or give its --data; nothing was sent", dataDir, File)
	}
	if err != nil {
		return Door{}, fmt.Errorf("read %s: %w (run sim text as the server's user); nothing was sent", path, err)
	}
	var d Door
	if err := json.Unmarshal(raw, &d); err != nil || d.URL == "" || d.Key == "" {
		return Door{}, fmt.Errorf("%s is damaged (restarting the server writes it again); nothing was sent", path)
	}
	return d, nil
}
