package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// The Admin section's read of a conversation ends at the answer budget
// (api.SyncPageBytes, as a sync page and a contacts answer do): a
// conversation of thousands of long texts (each up to some 9.6 KB escaped)
// would pass what the app reads of an answer, and the read would fail every
// time. The answer holds the latest texts that fit and says how many
// earlier ones it leaves out (Earlier); ?before= the first text it gave
// asks for those, a page at a time.

// earlierField is the most the answer's "earlier" field takes beside its
// texts: its name and an int's digits.
const earlierField = len(`,"earlier":`) + 20

// textChunk is how many texts a page reads at once, walking back from its
// end: the ids are read whole (some 40 bytes each), the texts only as far
// as the budget goes.
const textChunk = 200

// earlierTexts answers ?before=: the texts of th before the one whose id is
// before, the latest that fit budget bytes, and how many earlier ones are
// left. The rest of the conversation (its contact, its opt-out) came with
// the first answer. A before that is no text of th (none, another
// conversation's, not an id) changes nothing and is refused in words.
func earlierTexts(ctx context.Context, tx store.Tx, th store.Thread, before string, budget int) (api.MessagesResponse, error) {
	ids, _, err := tx.ThreadChildren(ctx, th.ID)
	if err != nil {
		return api.MessagesResponse{}, err
	}
	end := -1
	if before != "" && len(before) <= api.MaxID {
		end = slices.Index(ids, before)
	}
	if end < 0 {
		return api.MessagesResponse{}, badField("before", "before names no text of this conversation: give the id of the earliest text it answered, or leave before out for its latest texts")
	}
	out := api.MessagesResponse{}
	out.Messages, out.Earlier, err = textsBefore(ctx, tx, ids, end, budget-len(`{"messages":[]}`)-earlierField)
	return out, err
}

// textsBefore are the texts ids[:end] ends with (ids: a thread's, oldest
// first) whose JSON fits budget bytes, oldest first, each outbound one with
// its sender's name, and how many of ids[:end] come before them. It keeps
// at least one text whatever its size, so that every page moves on.
func textsBefore(ctx context.Context, tx store.Tx, ids []string, end, budget int) ([]api.Message, int, error) {
	var kept []api.Message // newest first
	size := 0
	for end > 0 {
		start := max(0, end-textChunk)
		msgs, err := texts(ctx, tx, ids[start:end])
		if err != nil {
			return nil, 0, err
		}
		for i := end - 1; i >= start; i-- {
			m, ok := msgs[ids[i]]
			if !ok {
				continue
			}
			raw, err := json.Marshal(m)
			if err != nil {
				return nil, 0, fmt.Errorf("encode text %s: %w", m.ID, err)
			}
			if size += len(raw) + 1; size > budget && len(kept) > 0 {
				slices.Reverse(kept)
				return kept, i + 1, nil
			}
			kept = append(kept, m)
		}
		end = start
	}
	slices.Reverse(kept)
	if kept == nil {
		kept = []api.Message{}
	}
	return kept, 0, nil
}

// texts are these texts of a thread by id, each outbound one with its
// sender's name, a reply worded like a request to stop marked as the
// volunteer's sync marks it (an admin about to undo an opt-out reads it as
// one).
func texts(ctx context.Context, tx store.Tx, ids []string) (map[string]api.Message, error) {
	msgs, err := tx.MessagesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var senders []string
	for _, m := range msgs {
		if m.SenderID != "" {
			senders = append(senders, m.SenderID)
		}
	}
	users, err := tx.UsersByIDs(ctx, store.DistinctIDs(senders))
	if err != nil {
		return nil, err
	}
	likely, err := tx.LikelyOptOuts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]api.Message, len(msgs))
	for id, m := range msgs {
		am := apiMessage(m)
		if m.SenderID != "" {
			am.SentByName = users[m.SenderID].Name
		}
		am.LikelyOptOut = likely[id]
		out[id] = am
	}
	return out, nil
}
