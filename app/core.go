// Package app is the desktop shell: the services Wails binds to the window
// and the app's lifecycle. It adapts backend/client to Wails and decides
// nothing itself.
package app

import (
	"context"
	"sync"

	"github.com/rs/zerolog"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/textbank/textbank/backend/client"
)

// Core holds what every bound service shares: the Wails context (set at
// start-up) and the volunteer client.
type Core struct {
	Client *client.Client
	Log    zerolog.Logger

	mu  sync.RWMutex
	ctx context.Context
	// notifications are optional: a desktop without a notification daemon
	// still works, it just stays quiet.
	notifyOK bool
}

// NewCore wires the client; Startup completes it once Wails has a context.
func NewCore(c *client.Client, log zerolog.Logger) *Core {
	return &Core{Client: c, Log: log, ctx: context.Background()}
}

func (c *Core) context() context.Context {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ctx
}

// Startup is Wails' OnStartup: it keeps the context the runtime calls need.
// The client is already started by main, so the window's first calls are
// answered from the cache.
func (c *Core) Startup(ctx context.Context) {
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
	if err := runtime.InitializeNotifications(ctx); err != nil {
		c.Log.Warn().Err(err).Msg("desktop notifications unavailable")
	} else {
		c.notifyOK = runtime.IsNotificationAvailable(ctx)
	}
}

// Shutdown is Wails' OnShutdown.
func (c *Core) Shutdown(ctx context.Context) {
	c.Client.Close()
	if c.notifyOK {
		runtime.CleanupNotifications(ctx)
	}
}

// Forward is the client's Notify hook: it turns client events into window
// events and, for new replies, a desktop notification.
func (c *Core) Forward(ev client.Event) {
	ctx := c.context()
	if ctx == context.Background() {
		return // window not up yet; it asks for fresh state on mount
	}
	runtime.EventsEmit(ctx, ev.Name, ev.Payload)
	if ev.Name == "reply:new" && c.notifyOK {
		c.notifyReply(ctx, ev.Payload)
	}
}

// Quit closes the window as if the volunteer had, so shutdown hooks run
// (used when the process is asked to stop by a signal).
func (c *Core) Quit() {
	if ctx := c.context(); ctx != context.Background() {
		runtime.Quit(ctx)
	}
}
