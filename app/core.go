// Package app is the desktop shell: the services Wails binds to the window
// and the app's lifecycle. It adapts backend/client to Wails and decides
// nothing itself.
package app

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
)

// EventServerBusyRetry tells the window that a call it is waiting on (sign
// in, sign up, join, Text Again) was refused by a busy server and is asked
// again in the payload's seconds: its progress says "Server busy, trying
// again" meanwhile.
const EventServerBusyRetry = "server:busy-retry"

// Core holds what every bound service shares: the Wails context (set at
// start-up) and the volunteer client.
type Core struct {
	Client *client.Client
	Log    zerolog.Logger

	mu  sync.RWMutex
	ctx context.Context
	// desktop hears every client event after the window (tray count,
	// notifications); nil in binding generation and tests.
	desktop desktopHooks
}

// desktopHooks is what Core tells the desktop shell.
type desktopHooks interface {
	OnEvent(client.Event)
	SetOpenThread(id string)
}

// SetDesktop connects the desktop shell (before Startup).
func (c *Core) SetDesktop(d desktopHooks) {
	c.mu.Lock()
	c.desktop = d
	c.mu.Unlock()
}

// SetOpenThread tells the desktop shell which thread is on screen, so its
// replies do not raise notifications ("" = none).
func (c *Core) SetOpenThread(id string) {
	c.mu.RLock()
	d := c.desktop
	c.mu.RUnlock()
	if d != nil {
		d.SetOpenThread(id)
	}
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

// waiting is the context of a call the window shows progress for: each
// wait to ask a busy server again is told to it (EventServerBusyRetry),
// naming the call and its subject (BusyRetry), so that of two calls
// pending at once only the one being retried says so.
func (c *Core) waiting(call, key string) context.Context {
	ctx := c.context()
	return api.OnBusyRetry(ctx, func(wait time.Duration) {
		if ctx != context.Background() {
			runtime.EventsEmit(ctx, EventServerBusyRetry, BusyRetry{Call: call, Key: key, Seconds: int(math.Ceil(wait.Seconds()))})
		}
	})
}

// Startup is Wails' OnStartup: it keeps the context the runtime calls need.
// The client is already started by main, so the window's first calls are
// answered from the cache.
func (c *Core) Startup(ctx context.Context) {
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
}

// Shutdown is Wails' OnShutdown.
func (c *Core) Shutdown(ctx context.Context) {
	c.Client.Close()
}

// Forward is the client's Notify hook: it turns client events into window
// events and hands them to the desktop shell (tray count, notifications).
func (c *Core) Forward(ev client.Event) {
	c.mu.RLock()
	d := c.desktop
	c.mu.RUnlock()
	if ctx := c.context(); ctx != context.Background() {
		runtime.EventsEmit(ctx, ev.Name, ev.Payload)
	} // else: window not up yet; it asks for fresh state on mount
	if d != nil {
		d.OnEvent(ev)
	}
}
