package app

// explorerCommandLine is the command line that opens dir in Windows' File
// Explorer (openfolder_windows.go). The path is always quoted: Explorer
// reads a comma as the end of a path (its switches are separated by
// commas), and Go quotes an argument only when it holds a space or a
// quote, so a log folder under C:\Users\Smith,Jo\ opened another folder.
// A Windows path cannot hold a quote, so quoting it whole is safe.
func explorerCommandLine(dir string) string { return `explorer "` + dir + `"` }
