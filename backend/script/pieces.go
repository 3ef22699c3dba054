package script

import "strings"

// Piece is a stretch of a script as an organizer reads it: literal text,
// or (Field set) a merge field, named in words by Label, with its fallback
// if it has one. The Admin section's Results show a script so, each field
// one unit that never breaks across lines, rather than its raw braces.
type Piece struct {
	Text     string
	Field    string
	Label    string
	Fallback string
}

// Pieces splits a script into its text and its fields, by the same rules
// Render fills them in ("{{" is a literal brace).
func Pieces(tmpl string) ([]Piece, error) {
	parts, err := parse(tmpl)
	if err != nil {
		return nil, err
	}
	out := make([]Piece, len(parts))
	for i, p := range parts {
		if p.name == "" {
			out[i] = Piece{Text: p.text}
			continue
		}
		out[i] = Piece{Field: p.name, Label: FieldLabel(p.name), Fallback: p.fallback}
	}
	return out, nil
}

// FieldLabel is a merge field in words, as the app shows it to people:
// "polling_place" is "Polling place", "first_name" "First name", and
// "zip" "ZIP" (not "Zip", as the column would read in words).
func FieldLabel(name string) string {
	if name == Zip {
		return "ZIP"
	}
	label := strings.ReplaceAll(name, "_", " ")
	if label == "" {
		return ""
	}
	return strings.ToUpper(label[:1]) + label[1:]
}
