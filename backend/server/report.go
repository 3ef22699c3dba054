package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/store"
)

// Report keys every action has besides its own fields (the rule lives in
// backend/report).
const (
	ReportNotes  = report.Notes
	ReportOptOut = report.OptOut
)

func (s *Server) applyReport(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	if m.ReportID == "" || len(m.ReportID) > maxMutationID {
		return rejected(m.ID, api.RejectInvalid, "report needs a reportId of 1 to %d characters", maxMutationID), nil, nil
	}
	if strings.HasPrefix(m.ReportID, scriptReportPrefix) {
		return rejected(m.ID, api.RejectInvalid, "report id %s begins %q, which is kept for the reports response scripts file", m.ReportID, scriptReportPrefix), nil, nil
	}
	th, rej, err := openThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return deref(rej), nil, err
	}
	a, err := tx.ActionByID(ctx, th.ActionID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := report.Check(apiReportFields(a.ReportFields), m.Values); err != nil {
		return rejected(m.ID, api.RejectInvalid, "%s", err.Error()), nil, nil
	}
	if _, err := tx.ReportByID(ctx, m.ReportID); err == nil {
		return rejected(m.ID, api.RejectInvalid, "report id %s is already used", m.ReportID), nil, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return api.MutationResult{}, nil, err
	}
	values := m.Values
	if values == nil {
		values = map[string]string{}
	}
	// Filled when the app says (offline, it may arrive much later): the
	// reports export asks whether a tag was on the form by then.
	filled := madeAt(m, now)
	if err := tx.CreateReport(ctx, store.Report{ID: m.ReportID, ThreadID: th.ID, UserID: u.ID, Values: values, SubmittedAt: now,
		FilledAt: &filled}); err != nil {
		return api.MutationResult{}, nil, err
	}
	th.LastReportAt = &now
	reportThrough(&th, m, now)
	if err := tx.UpdateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, err
	}
	if values[ReportOptOut] == "true" {
		if err := optOut(ctx, tx, store.OptOut{OrganizationID: th.OrganizationID, Phone: th.ContactPhone, Reason: reportedReason,
			Source: store.OptOutReported, CreatedAt: now}); err != nil {
			return api.MutationResult{}, nil, err
		}
	}
	settings, err := tx.Settings(ctx, u.ID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if settings.AutoArchive && report.Archives(values) && inbox.ArchiveHolds(seenThrough(th, m, now), th.LastInboundAt) {
		st, err := tx.InboxState(ctx, u.ID, th.ID)
		if err != nil {
			return api.MutationResult{}, nil, err
		}
		setArchive(&st, inbox.Reported, true)
		if err := tx.PutInboxState(ctx, st); err != nil {
			return api.MutationResult{}, nil, err
		}
	}
	if err := feed(ctx, tx, now, u.ID, api.KindReport, m.ReportID, api.KindThread, th.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), nil, nil
}

// reportThrough moves th's ReportedThrough to the replies report m was
// filled with: its at, the newest reply the app held (inbox.ArchiveCovers;
// when it was made, from an app that does not say). A likely opt-out after
// that stays undecided (inbox.OptOutUndecided) even though the report
// reached the server after it (filled offline before the request came):
// the volunteer never saw it. The report itself is still dated now
// (SubmittedAt, which orders reports: the newest wins).
func reportThrough(th *store.Thread, m api.Mutation, now time.Time) {
	through := seenThrough(*th, m, now)
	if th.ReportedThrough == nil || through.After(*th.ReportedThrough) {
		th.ReportedThrough = &through
	}
}
