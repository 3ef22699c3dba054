package app

import (
	"context"
	"encoding/json"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

type replyNotice struct {
	ThreadID    string `json:"threadId"`
	ContactName string `json:"contactName"`
	Body        string `json:"body"`
}

// notifyReply raises a desktop notification for a new reply. The payload
// arrives as whatever the client built, so it is read through JSON rather
// than a type assertion that would tie app/ to the client's internals.
func (c *Core) notifyReply(ctx context.Context, payload any) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return
	}
	var n replyNotice
	if err := json.Unmarshal(raw, &n); err != nil || n.ThreadID == "" {
		return
	}
	err = runtime.SendNotification(ctx, runtime.NotificationOptions{
		ID:    "reply-" + n.ThreadID,
		Title: "Reply from " + n.ContactName,
		Body:  n.Body,
		Data:  map[string]any{"threadId": n.ThreadID},
	})
	if err != nil {
		c.Log.Debug().Err(err).Msg("send notification")
	}
}
