package app

import (
	"time"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/texting"
)

// Texting is bound to the window: the send queue of an action.
type Texting struct{ core *Core }

func NewTexting(core *Core) *Texting { return &Texting{core: core} }

// InitialLockHours is how long a number is spared a second first text
// (texting.InitialLock), for the screens that tell volunteers and
// organizers why a contact waits.
func (t *Texting) InitialLockHours() int { return int(texting.InitialLock / time.Hour) }

func (t *Texting) Queue(actionID string) (client.Queue, error) {
	v, err := t.core.Client.Queue(t.core.context(), actionID)
	return v, t.core.said("Texting.Queue", err)
}

func (t *Texting) SendInitial(actionID, contactID string) error {
	return t.core.said("Texting.SendInitial", t.core.Client.SendInitial(t.core.context(), actionID, contactID))
}

// SendNewText sends exactly body, the new text the server answered a
// script_changed refusal with (shown on the send screen).
func (t *Texting) SendNewText(actionID, contactID, body string) error {
	return t.core.said("Texting.SendNewText", t.core.Client.SendNewText(t.core.context(), actionID, contactID, body))
}

func (t *Texting) TextAgain(actionID string) (client.Batch, error) {
	v, err := t.core.Client.TextAgain(t.core.waiting(CallTextAgain, actionID), actionID)
	return v, t.core.said("Texting.TextAgain", err)
}

func (t *Texting) Release(actionID string) (int, error) {
	v, err := t.core.Client.Release(t.core.waiting(CallRelease, actionID), actionID)
	return v, t.core.said("Texting.Release", err)
}

// Skip hands back one contact the script cannot be filled in for.
func (t *Texting) Skip(actionID, contactID string) error {
	return t.core.said("Texting.Skip", t.core.Client.Skip(t.core.context(), actionID, contactID))
}
