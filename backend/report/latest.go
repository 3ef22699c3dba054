package report

// Latest is what a conversation's report says now: reports are partial (the
// app files what changed), so each key takes its value from the newest
// report holding it, and an empty value there is a field cleared. values
// are the reports' values, oldest first. The thread's report summary and
// form (the app's ThreadView), the latest-reports export and the server's
// own reading of a thread's Opt Out all go by it.
func Latest(values []map[string]string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for k, x := range v {
			out[k] = x
		}
	}
	return out
}
