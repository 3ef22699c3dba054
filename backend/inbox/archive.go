package inbox

import "time"

// InactiveAfter is how long a thread sits without a message before the
// server's archiver archives it (SPEC 10: "no activity for 2 months"), when
// the server's config sets no other. The app says it in months of 30 days
// ("Archived: no activity in 2 months", frontend/src/lib/labels.ts), which
// app/frontend_values_test.go keeps equal to it.
const InactiveAfter = 60 * 24 * time.Hour

// Reason says why a thread is in the archive, in the words the inbox shows:
// "Archived by you", "Archived after report", "Archived: inactive".
type Reason string

const (
	NotArchived Reason = ""
	ByUser      Reason = "user"     // the volunteer pressed Archive
	AfterReport Reason = "report"   // a report was filed with Automatic Archive on
	Inactive    Reason = "inactive" // the server's archiver: no message for two months
)

// ArchiveState is a thread's place in or out of the archive. The zero value
// is "in the inbox".
type ArchiveState struct {
	Archived bool
	Reason   Reason
}

// Event is something that moves a thread in or out of the archive.
type Event int

const (
	// UserArchive and UserUnarchive: the volunteer's buttons, as often as
	// they like.
	UserArchive Event = iota
	UserUnarchive
	// Reported: a report was filed; it archives only with Automatic Archive
	// on (ArchiveOn's autoArchive).
	Reported
	// Replied: a new inbound reply. New work brings the thread back into
	// All, Unread and Needs Attention whatever archived it.
	Replied
	// WentInactive: the server's two-month archiver.
	WentInactive
)

// ArchiveOn is the archive state after event e. An event that does not
// move the thread leaves the state as it was (a report with Automatic
// Archive off keeps an archived thread archived, with its reason).
func ArchiveOn(s ArchiveState, e Event, autoArchive bool) ArchiveState {
	switch e {
	case UserArchive:
		return ArchiveState{Archived: true, Reason: ByUser}
	case UserUnarchive, Replied:
		return ArchiveState{}
	case Reported:
		if autoArchive {
			return ArchiveState{Archived: true, Reason: AfterReport}
		}
	case WentInactive:
		if !s.Archived {
			return ArchiveState{Archived: true, Reason: Inactive}
		}
	}
	return s
}

// ArchiveHolds says whether an archive made at madeAt (by the volunteer, or
// by a report) still holds given the thread's last inbound message: a reply
// newer than the archive brings the thread back, even when the archive
// reaches the server after the reply did (it was queued offline). The
// server and the app's cache both apply it, so they agree.
func ArchiveHolds(madeAt time.Time, lastInboundAt *time.Time) bool {
	return lastInboundAt == nil || !lastInboundAt.After(madeAt)
}

// ArchiveCovers is how far into the contact's replies an archive, or a
// report that archives, reaches (the madeAt ArchiveHolds takes): the newest
// reply the app held when the volunteer pressed it (seen; the zero time if
// it held none), whatever the app's clock says, or, from an app that does
// not say, when it was made. The app's clock cannot date that: one behind
// dated the archive before the reply just read, which then brought the
// thread back; one ahead, sent late, covered replies never shown.
func ArchiveCovers(seen *time.Time, made time.Time) time.Time {
	if seen != nil {
		return *seen
	}
	return made
}

// AnswerCovers is how far into the contact's replies a volunteer's answer
// (a reply, a response script) reaches (State.AnsweredThrough): the newest
// reply the app held when it was written (seen; the zero time if it held
// none), or, from an app that does not say, every reply before made, when
// the server took it (as answers were judged before they said). The
// server's time cannot date what it answers: an answer written offline
// and taken after the contact's next reply would answer that reply,
// which the volunteer never saw.
func AnswerCovers(seen *time.Time, made time.Time) time.Time {
	return ArchiveCovers(seen, made)
}
