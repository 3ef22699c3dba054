package report

import "time"

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

// Newer says whether a report submitted at (at, id) comes after one at
// (prevAt, prevID) in the order Latest takes them: by submission time, the
// greater id of two sent in the same instant (the order exports list them
// in). It lets a count keep, per key, the newest value as reports stream
// in any order, with Latest's answer and without holding them all.
func Newer(at time.Time, id string, prevAt time.Time, prevID string) bool {
	if c := at.Compare(prevAt); c != 0 {
		return c > 0
	}
	return id > prevID
}
