//go:build bindings

package main

// generatingBindings is true in the build `wails build`/`wails dev` run only
// to write frontend/wailsjs: that run must not open caches or start servers.
const generatingBindings = true
