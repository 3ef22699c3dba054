// Package phone puts phone numbers in E.164 and says which time zones a
// number may be in, so quiet hours can be judged in the contact's local time.
package phone

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	// The zone database is compiled in so Windows and minimal containers,
	// which lack /usr/share/zoneinfo, still resolve contacts' zones.
	_ "time/tzdata"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region of numbers written without a country code
// when nobody says otherwise: the server's inbound numbers, its imports and
// textbankd's --region all start from it.
const DefaultRegion = "US"

// Normalize parses raw (as typed or imported from a CSV) and returns it in
// E.164 ("+12025550180"). A number without a leading + or international
// prefix is read as a number of defaultRegion (a CLDR region code such as
// "US"); an error names the input and the reason.
func Normalize(raw, defaultRegion string) (string, error) {
	n, err := parse(raw, defaultRegion)
	if err != nil {
		return "", err
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// NormalizeZoned is Normalize that also says whether the number's time
// zone is known (Timezones would answer): a contact list checks both, and
// the zone from the number Normalize parsed costs a tenth of reading it
// again.
func NormalizeZoned(raw, defaultRegion string) (e164 string, zoneKnown bool, err error) {
	n, err := parse(raw, defaultRegion)
	if err != nil {
		return "", false, err
	}
	_, err = zoneNames(n)
	return phonenumbers.Format(n, phonenumbers.E164), err == nil, nil
}

// parse reads raw as Normalize does and checks it is a valid number.
func parse(raw, defaultRegion string) (*phonenumbers.PhoneNumber, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("phone number is empty")
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	n, ok := parseNANP(s, region)
	if !ok {
		var err error
		if n, err = phonenumbers.Parse(s, region); err != nil {
			return nil, fmt.Errorf("%q is not a valid phone number: %s", raw, parseReason(err, region))
		}
	}
	if !phonenumbers.IsValidNumber(n) {
		return nil, invalidNumber(raw, n)
	}
	if err := noExtension(raw, n); err != nil {
		return nil, err
	}
	return n, nil
}

// invalidNumber is the refusal of a number Parse read but that is not a
// valid one. An x among the digits is read as the start of an extension,
// so "(202) 555-01x9" was "too short" with nothing saying why: the reason
// names the digits that were cut off.
func invalidNumber(raw string, n *phonenumbers.PhoneNumber) error {
	if ext := n.GetExtension(); ext != "" {
		return fmt.Errorf("%q is not a valid phone number: %s before the extension (%s; an x or \"ext\" starts one)", raw, invalidReason(n), ext)
	}
	return fmt.Errorf("%q is not a valid phone number: %s", raw, invalidReason(n))
}

// noExtension refuses a number written with an extension ("ext 4", "x12"):
// E.164 has no place for one and a text cannot reach one, so keeping the
// rest would text the switchboard, silently.
func noExtension(raw string, n *phonenumbers.PhoneNumber) error {
	if ext := n.GetExtension(); ext != "" {
		return fmt.Errorf("%q has an extension (%s): a text cannot reach an extension; give the person's own mobile number", raw, ext)
	}
	return nil
}

// KnownRegion says whether region (a CLDR region code such as "US", any
// case) has a country calling code, i.e. whether Normalize can read
// numbers of it written without one.
func KnownRegion(region string) bool {
	return phonenumbers.GetCountryCodeForRegion(strings.ToUpper(strings.TrimSpace(region))) != 0
}

// NormalizesToItself says whether raw is a North American number already
// in E.164 ("+1" and ten digits, the first 2-9): Normalize then returns raw
// itself or an error (parseNANP builds it and Format writes the same
// digits back), so a caller that keeps an unreadable number as it came,
// such as the sender of an inbound text, need not check it. The check
// against the numbering plan is most of Normalize's cost.
func NormalizesToItself(raw string) bool {
	if len(raw) != 12 || raw[0] != '+' || raw[1] != '1' || raw[2] < '2' || raw[2] > '9' {
		return false
	}
	for i := 3; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return false
		}
	}
	return true
}

// parseNANP reads the shapes most imported numbers have, "+1" and 10
// digits, or 10 digits under region US, written plain or with spaces,
// parentheses, dashes or dots ("(212) 555-0100"), without
// phonenumbers.Parse, whose regular expressions are most of a 100k-row
// import's time. It builds the number Parse builds for them
// (TestParseNANPMatchesParse and FuzzNormalize compare); IsValidNumber
// still judges it by the same metadata. Anything else, and a national
// number starting with 0 or 1 (Parse may read the 1 as a national
// prefix), is left to Parse.
func parseNANP(s, region string) (*phonenumbers.PhoneNumber, bool) {
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	var digits [11]byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(digits) {
				return nil, false
			}
			digits[n] = c
			n++
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '.':
		default:
			return nil, false
		}
	}
	var national []byte
	switch {
	case plus && n == 11 && digits[0] == '1':
		national = digits[1:11]
	case !plus && n == 10 && region == "US":
		national = digits[:10]
	default:
		return nil, false
	}
	if national[0] < '2' {
		return nil, false
	}
	var nn uint64
	for _, d := range national {
		nn = nn*10 + uint64(d-'0')
	}
	cc := int32(1)
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &nn}, true
}

func parseReason(err error, region string) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode) && region == "":
		return "no country code (start it with +) and no default region"
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return fmt.Sprintf("unknown country code or region %q", region)
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return "it is not a number"
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "too short"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "too long"
	}
	return err.Error()
}

func invalidReason(n *phonenumbers.PhoneNumber) string {
	switch phonenumbers.IsPossibleNumberWithReason(n) {
	case phonenumbers.TOO_SHORT:
		return "too short"
	case phonenumbers.TOO_LONG:
		return "too long"
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "unknown country code"
	case phonenumbers.INVALID_LENGTH:
		return "wrong number of digits"
	}
	return "no such number range in its country"
}

// locations caches time.LoadLocation, which reads and parses the zone file
// on every call: the send path asks for a contact's zones on every text.
// Zone names are a bounded set (the tz database's), so the cache is too.
var locations sync.Map // name -> *time.Location

func loadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// Timezones returns the zones a valid E.164 number may be in. Some numbers
// map to one zone (a New York landline), some to several (a mobile in a
// state that spans zones, a toll-free number); a number whose zone is
// unknown is an error, because no local time can be given for it.
//
// The answer is remembered for recently asked numbers (the slice is shared:
// callers must not change it): a contact's hours are checked when its batch
// is handed out and again when its first text is sent, minutes later, and
// parsing the number cost about as much as storing the text.
func Timezones(e164 string) ([]*time.Location, error) {
	if locs, ok := zones.get(e164); ok {
		return locs, nil
	}
	locs, err := timezones(e164)
	if err == nil {
		zones.put(e164, locs)
	}
	return locs, err
}

// zones remembers recently asked numbers' zones, up to a few batches of
// every volunteer texting at once.
var zones = recent[[]*time.Location]{max: 16384}

func timezones(e164 string) ([]*time.Location, error) {
	if !strings.HasPrefix(e164, "+") {
		return nil, fmt.Errorf("%q is not in E.164 form (+ and country code)", e164)
	}
	// Most numbers are North American: read without Parse's regular
	// expressions.
	n, ok := parseNANP(e164, "")
	if !ok {
		var err error
		if n, err = phonenumbers.Parse(e164, ""); err != nil {
			return nil, fmt.Errorf("%q is not a valid phone number: %s", e164, parseReason(err, ""))
		}
	}
	if !phonenumbers.IsValidNumber(n) {
		return nil, fmt.Errorf("%q is not a valid phone number: %s", e164, invalidReason(n))
	}
	names, err := zoneNames(n)
	if err != nil {
		return nil, fmt.Errorf("time zone of %s is unknown", e164)
	}
	locs := make([]*time.Location, 0, len(names))
	for _, name := range names {
		loc, err := loadLocation(name)
		if err != nil {
			return nil, fmt.Errorf("time zone %q of %s: %w", name, e164, err)
		}
		locs = append(locs, loc)
	}
	return locs, nil
}

// zoneNames are the tz names of a valid number's zones; an error when
// none is known (a freephone +800 number, a range the metadata lacks).
func zoneNames(n *phonenumbers.PhoneNumber) ([]string, error) {
	names, err := phonenumbers.GetTimezonesForNumber(n)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 || slices.Contains(names, phonenumbers.UNKNOWN_TIMEZONE) {
		return nil, errors.New("time zone unknown")
	}
	return names, nil
}
