package optout

import (
	"strings"
	"unicode"
)

// phrases are opt-out wordings, written as lower-case words without
// apostrophes; they match on word boundaries anywhere in a reply.
var phrases = []string{
	"remove me", "remove my number", "remove my name", "take me off", "take my number off",
	"off your list", "off the list", "off this list", "unsubscribe", "opt me out", "opt out", "optout",
	"stop texting", "stop messaging", "stop contacting", "stop sending", "stop txting", "stop it",
	"please stop", "stop please", "quit texting", "quit messaging",
	"dont text", "do not text", "dont txt", "dont message", "do not message", "dont contact",
	"do not contact", "dont send", "do not send", "never text", "never contact",
	"no more texts", "no more text", "no more messages", "not text me", "lose my number",
	"delete my number", "leave me alone", "wrong number", "wrong person",
}

// shortKeywords count as an opt-out suggestion when they make up part of a
// very short reply ("STOP STOP", "stop now", "remove thanks").
var shortKeywords = map[string]bool{"stop": true, "stopall": true, "remove": true, "revoke": true}

// Suggest reports whether body likely asks not to be texted without being
// an exact keyword: "please remove me", "don’t text me", "wrong number". It
// is false for an exact keyword, which Match already handles.
func Suggest(body string) bool {
	if Match(body) {
		return false
	}
	words := normalize(fold(body))
	if len(words) == 0 {
		return false
	}
	if len(words) <= 3 {
		for _, w := range words {
			if shortKeywords[w] {
				return true
			}
		}
	}
	joined := " " + strings.Join(words, " ") + " "
	for _, p := range phrases {
		if strings.Contains(joined, " "+p+" ") {
			return true
		}
	}
	return false
}

// normalize lower-cases body, drops apostrophes (straight or curly, so
// "don’t" and "dont" read the same) and splits it into words of letters and
// digits.
func normalize(body string) []string {
	body = strings.Map(func(r rune) rune {
		switch r {
		case '\'', '’', '‘', 'ʼ', '`', '´':
			return -1
		}
		return unicode.ToLower(r)
	}, body)
	return strings.FieldsFunc(body, notWordChar)
}
