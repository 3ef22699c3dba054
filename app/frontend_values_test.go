package app

import (
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/report"
)

// TestFrontendValuesMatchGo: values no Wails binding carries, which the
// frontend spells by hand beside its words, must be Go's; a change on one
// side only fails here, not in front of a volunteer (an archive note naming
// the wrong period, a report's Opt Out the server files under another key).
func TestFrontendValuesMatchGo(t *testing.T) {
	// "Archived: no activity in 2 months": the server archiver's period.
	labels := frontendSource(t, "src/lib/labels.ts")
	m := regexp.MustCompile(`const inactiveMonths = (\d+);`).FindStringSubmatch(labels)
	if m == nil {
		t.Fatal("labels.ts has no const inactiveMonths = <number>;")
	}
	months, _ := strconv.Atoi(m[1])
	if month := 30 * 24 * time.Hour; time.Duration(months)*month != inbox.InactiveAfter {
		t.Errorf("labels.ts says a thread is archived after %d months (of 30 days); inbox.InactiveAfter is %v (%.2f months)",
			months, inbox.InactiveAfter, float64(inbox.InactiveAfter)/float64(month))
	}

	// The report's Notes and Opt Out, which every action has on top of its own fields.
	conv := frontendSource(t, "src/features/thread/conversation.ts")
	for _, c := range []struct {
		name   string
		field  api.ReportField
		goName string
	}{
		{"NOTES", report.NotesField, "report.NotesField"},
		{"OPT_OUT", report.OptOutField, "report.OptOutField"},
	} {
		m := regexp.MustCompile(`export const ` + c.name + `: ReportField = \{ key: '([^']*)', label: '([^']*)', kind: '([^']*)' \};`).FindStringSubmatch(conv)
		if m == nil {
			t.Fatalf("conversation.ts has no export const %s: ReportField = { key: '…', label: '…', kind: '…' };", c.name)
		}
		// The label too: the Outbox names a refused report's values by it (client's fieldNames.writtenIn).
		if m[1] != c.field.Key || m[2] != c.field.Label || m[3] != c.field.Kind {
			t.Errorf("conversation.ts's %s is key %q, label %q, kind %q; Go's %s is %+v", c.name, m[1], m[2], m[3], c.goName, c.field)
		}
	}
}

// frontendSource is a file of frontend/ as text.
func frontendSource(t *testing.T, path string) string {
	t.Helper()
	src, err := os.ReadFile("../frontend/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}
