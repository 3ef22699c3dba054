package server

import (
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func apiAction(a store.Action, sendingNumber string) api.Action {
	return api.Action{
		ID:              a.ID,
		CampaignID:      a.CampaignID,
		Type:            a.Type,
		Title:           a.Title,
		Description:     a.Description,
		Instructions:    a.Instructions,
		Scripts:         nonNilSlice(a.Scripts),
		ResponseScripts: apiResponseScripts(a.ResponseScripts),
		ReportFields:    apiReportFields(a.ReportFields),
		TextingHours:    api.TextingHours(a.TextingHours),
		BatchSize:       a.BatchSize,
		AllowFreeText:   a.AllowFreeText,
		CreatorID:       a.CreatorID,
		SendingNumber:   sendingNumber,
	}
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func apiThread(th store.Thread, actionType string, st store.InboxState) api.Thread {
	return api.Thread{
		ID:              th.ID,
		ActionID:        th.ActionID,
		CampaignID:      th.CampaignID,
		ActionType:      actionType,
		OwnerID:         th.OwnerID,
		ContactName:     th.ContactName,
		ContactPhone:    th.ContactPhone,
		SendingNumber:   th.SendingNumber,
		LastMessageAt:   th.LastMessageAt,
		LastInboundAt:   th.LastInboundAt,
		LastOutboundAt:  th.LastOutboundAt,
		LastReadAt:      st.LastReadAt,
		LastReportAt:    th.LastReportAt,
		ReportedThrough: th.ReportedThrough,
		AnsweredThrough: th.AnsweredThrough,
		Archived:        st.Archived,
		ArchivedReason:  st.ArchivedReason,
		OptedOut:        th.OptedOut,
		Blocked:         th.Blocked,
	}
}

func apiMessage(m store.Message) api.Message {
	return api.Message{
		ID:        m.ID,
		ThreadID:  m.ThreadID,
		Direction: m.Direction,
		Body:      m.Body,
		Status:    m.Status,
		Initial:   m.Initial,
		CreatedAt: m.CreatedAt,
		Error:     m.Error,
		SentBy:    m.SenderID,
	}
}

func apiReport(r store.Report) api.Report {
	vals := r.Values
	if vals == nil {
		vals = map[string]string{}
	}
	return api.Report{ID: r.ID, ThreadID: r.ThreadID, Values: vals, SubmittedAt: r.SubmittedAt}
}

// apiResponseScripts and apiReportFields turn an action's stored parts into
// their wire form (never null on the wire).
func apiResponseScripts(rs []store.ResponseScript) []api.ResponseScript {
	out := make([]api.ResponseScript, len(rs))
	for i, r := range rs {
		out[i] = api.ResponseScript(r)
	}
	return out
}

func apiReportFields(fs []store.ReportField) []api.ReportField {
	out := make([]api.ReportField, len(fs))
	for i, f := range fs {
		out[i] = api.ReportField{Key: f.Key, Label: f.Label, Kind: f.Kind, Choices: f.Choices}
	}
	return out
}
