package app

import (
	"sync"
	"sync/atomic"

	"github.com/textbank/textbank/backend/notify"
)

// fakeNotifier stands for the desktop's notifications in the shell's tests:
// what it was asked to show, and what is still on screen.
type fakeNotifier struct {
	notes     chan notify.Note
	onAction  func(action string, note notify.Note)
	withdrawn atomic.Int32
	// mu orders the notes shown and withdrawn; onScreen is how many notes
	// are on screen (shown since the last WithdrawAll).
	mu       sync.Mutex
	onScreen int
}

func (n *fakeNotifier) Notify(note notify.Note, sound bool) error {
	n.mu.Lock()
	n.onScreen++
	n.mu.Unlock()
	n.notes <- note
	return nil
}
func (n *fakeNotifier) OnAction(f func(string, notify.Note)) { n.onAction = f }
func (n *fakeNotifier) WithdrawAll() error {
	n.withdrawn.Add(1)
	n.mu.Lock()
	n.onScreen = 0
	n.mu.Unlock()
	return nil
}
func (n *fakeNotifier) left() int { n.mu.Lock(); defer n.mu.Unlock(); return n.onScreen }
func (n *fakeNotifier) Close()    {}
