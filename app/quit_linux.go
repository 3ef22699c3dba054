package app

/*
#cgo pkg-config: gtk+-3.0
#include <gtk/gtk.h>

static gboolean textbank_quit(gpointer data) {
	gtk_main_quit();
	return G_SOURCE_REMOVE;
}

static void textbank_quit_on_main_loop(void) {
	g_idle_add(textbank_quit, NULL);
}
*/
import "C"

// QuitOnMainLoop ends GTK's main loop from the main loop itself. Wails
// (v2.15, Linux) ends it by calling gtk_main_quit on the goroutine that ran
// OnBeforeClose, off GTK's thread: when the loop is already ending (a
// SIGTERM at the moment the window closes), the two threads race and the
// process dies with SIGSEGV inside gtk_main_quit instead of shutting down
// (seen once in e2e/smoke.sh's SIGTERM). g_idle_add is safe from any
// thread, and the quit then runs where GTK expects it; OnBeforeClose
// answers "prevent" so that Wails' own call is not made. What follows the
// loop (the window destroyed, OnShutdown) is Wails' as before.
func QuitOnMainLoop() bool {
	C.textbank_quit_on_main_loop()
	return true
}
