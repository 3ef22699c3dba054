package app

import "github.com/textbank/textbank/backend/client"

// Texting is bound to the window: the send queue of an action.
type Texting struct{ core *Core }

func NewTexting(core *Core) *Texting { return &Texting{core: core} }

func (t *Texting) Queue(actionID string) (client.Queue, error) {
	return t.core.Client.Queue(t.core.context(), actionID)
}

func (t *Texting) SendInitial(actionID, contactID string) error {
	return t.core.Client.SendInitial(t.core.context(), actionID, contactID)
}

// SendNewText sends exactly body, the new text the server answered a
// script_changed refusal with (shown on the send screen).
func (t *Texting) SendNewText(actionID, contactID, body string) error {
	return t.core.Client.SendNewText(t.core.context(), actionID, contactID, body)
}

func (t *Texting) TextAgain(actionID string) (client.Batch, error) {
	return t.core.Client.TextAgain(t.core.waiting(CallTextAgain, actionID), actionID)
}

func (t *Texting) Release(actionID string) (int, error) {
	return t.core.Client.Release(t.core.waiting(CallRelease, actionID), actionID)
}

// Skip hands back one contact the script cannot be filled in for.
func (t *Texting) Skip(actionID, contactID string) error {
	return t.core.Client.Skip(t.core.context(), actionID, contactID)
}
