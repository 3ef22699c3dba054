//go:build !linux

package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/textbank/textbank/backend/notify"
)

const replyCategory = "reply"

// wailsNotifier uses Wails' notifications (Windows toast, macOS
// UserNotifications), with Open and Mark as read buttons.
type wailsNotifier struct {
	ctx      context.Context
	mu       sync.Mutex
	onAction func(action string, note notify.Note)
}

// NewPlatformNotifier sets up Wails notifications; ctx is Wails' context.
func NewPlatformNotifier(ctx context.Context) (Notifier, error) {
	if err := runtime.InitializeNotifications(ctx); err != nil {
		return nil, fmt.Errorf("initialise notifications: %w", err)
	}
	if !runtime.IsNotificationAvailable(ctx) {
		return nil, fmt.Errorf("notifications are not available")
	}
	if ok, err := runtime.RequestNotificationAuthorization(ctx); err != nil || !ok {
		return nil, fmt.Errorf("notifications not allowed (%v)", err)
	}
	n := &wailsNotifier{ctx: ctx}
	if err := runtime.RegisterNotificationCategory(ctx, runtime.NotificationCategory{
		ID:      replyCategory,
		Actions: []runtime.NotificationAction{{ID: ActionOpen, Title: "Open"}, {ID: ActionRead, Title: "Mark as read"}},
	}); err != nil {
		return nil, fmt.Errorf("register notification actions: %w", err)
	}
	runtime.OnNotificationResponse(ctx, func(r runtime.NotificationResult) {
		if r.Error != nil {
			return
		}
		// Only what Notify put in Data comes back: where the note leads.
		var note notify.Note
		note.ThreadID, _ = r.Response.UserInfo["threadId"].(string)
		note.AdminCampaignID, _ = r.Response.UserInfo["adminCampaignId"].(string)
		note.CampaignID, _ = r.Response.UserInfo["campaignId"].(string)
		action := r.Response.ActionIdentifier
		if action != ActionRead {
			action = ActionOpen
		}
		n.mu.Lock()
		f := n.onAction
		n.mu.Unlock()
		if f != nil {
			f(action, note)
		}
	})
	return n, nil
}

// Notify ignores sound: Wails' notifications take none, each system plays
// its own as its setting says, and Settings names that setting instead of
// the switch (NotificationSoundSetIn).
func (n *wailsNotifier) Notify(note notify.Note, sound bool) error {
	opts := runtime.NotificationOptions{ID: note.ID, Title: note.Title, Body: note.Body, Data: map[string]any{"threadId": note.ThreadID, "adminCampaignId": note.AdminCampaignID, "campaignId": note.CampaignID}}
	if note.ThreadID != "" {
		opts.CategoryID = replyCategory
		return runtime.SendNotificationWithActions(n.ctx, opts)
	}
	return runtime.SendNotification(n.ctx, opts)
}

func (n *wailsNotifier) OnAction(f func(action string, note notify.Note)) {
	n.mu.Lock()
	n.onAction = f
	n.mu.Unlock()
}

// WithdrawAll takes back what the platform lets Wails take back: on macOS
// every pending and delivered note. On Windows it does nothing: Wails
// v2.15's remove-all calls there are stubs that answer nil, and go-toast,
// which it shows toasts with, offers no way to reach the toast history, so
// the notes stay in the Action Center until dismissed (docs/ARCHITECTURE.md).
func (n *wailsNotifier) WithdrawAll() error {
	return errors.Join(runtime.RemoveAllPendingNotifications(n.ctx), runtime.RemoveAllDeliveredNotifications(n.ctx))
}

func (n *wailsNotifier) Close() { runtime.CleanupNotifications(n.ctx) }
