package texting

import "github.com/textbank/textbank/backend/script"

// SeenFields are the contact list's extra columns a volunteer's app
// receives for an action's contacts: those its initial and response scripts
// use (the app renders the texts from them) and those the organizer chose
// to show (the campaign file's shown_fields), plus zip, a standard column.
// The others stay on the server, in the exports: a voter file's date of
// birth or party would otherwise reach, and stay in the cache of, every
// volunteer handed the contact. A script that does not parse adds nothing
// (the campaign file's check refuses it before it is stored).
func SeenFields(scripts, responses, shown []string) map[string]bool {
	seen := map[string]bool{script.Zip: true}
	for _, f := range shown {
		seen[f] = true
	}
	for _, list := range [][]string{scripts, responses} {
		for _, s := range list {
			fields, _ := script.Fields(s)
			for _, f := range fields {
				seen[f] = true
			}
		}
	}
	return seen
}
