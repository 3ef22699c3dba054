// Command barewindow is the floor under the launch bench: a Wails window of
// the app's size showing a static page that, a frame after it is painted,
// calls one bound Go method, as Textbank's window does when its inbox is on
// screen. No cache, no React, no data: what any Wails v2 window costs on
// this machine (process start, GTK, WebKitGTK's web and network processes,
// one round trip). It logs the same "first screen ready" line.
package main

import (
	"embed"
	"fmt"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
)

//go:embed index.html
var assets embed.FS

// Marker is bound to the page.
type Marker struct{ start time.Time }

// Ready is the page's signal.
func (m *Marker) Ready(pageMS float64) {
	fmt.Printf("first screen ready rows=1 page_ms=%d since_start_ms=%d\n", int(pageMS), time.Since(m.start).Milliseconds())
}

func main() {
	m := &Marker{start: time.Now()}
	err := wails.Run(&options.App{
		Title: "Textbank (bare window)", Width: 1200, Height: 780,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 252, A: 1},
		Bind:             []any{m},
	})
	if err != nil {
		fmt.Println("barewindow:", err)
	}
}
