package campaignfile

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// A campaign's search_joins_per_hour bounds how many new volunteers join a
// public campaign through search (without the code) in an hour: each is
// handed a batch of contacts, and anyone can make an account. 0 lets none
// join that way. Left out, a new campaign takes DefaultSearchJoinsPerHour
// and an update keeps what the campaign has.

// SearchJoinsPath is where a file sets its campaign's search joins.
const SearchJoinsPath = "campaign.search_joins_per_hour"

const (
	// DefaultSearchJoinsPerHour is the search joins a campaign takes when
	// its file never said: enough for a public campaign's sign-up evening,
	// and at most this many batches of contacts an hour to strangers.
	DefaultSearchJoinsPerHour = 20
	MaxSearchJoinsPerHour     = 1000
)

// SearchJoins is the limit a campaign stored as limit (nil: never set)
// holds.
func SearchJoins(limit *int) int {
	if limit == nil {
		return DefaultSearchJoinsPerHour
	}
	return *limit
}

// searchJoinsGiven refuses a search_joins_per_hour that is not a whole
// number: yaml reads 1.5 into an int as 1, silently, and an empty value as
// left out, when the organizer meant to set one.
func searchJoinsGiven(root *yaml.Node) Problems {
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	top := root.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		if top[i].Value != "campaign" || top[i+1].Kind != yaml.MappingNode {
			continue
		}
		camp := top[i+1].Content
		for k := 0; k+1 < len(camp); k += 2 {
			key, v := camp[k], camp[k+1]
			if key.Value != "search_joins_per_hour" || (v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int") {
				continue
			}
			given := givenKind(v)
			if v.ShortTag() == "!!null" {
				given = "empty"
			}
			return Problems{{Path: SearchJoinsPath, Line: key.Line,
				Msg: fmt.Sprintf("is %s; give a whole number of volunteers an hour (0-%d; 0 lets none join through search)", given, MaxSearchJoinsPerHour)}}
		}
	}
	return nil
}

// searchJoins checks the limit's range.
func (c *checker) searchJoins() {
	n := c.f.Campaign.SearchJoinsPerHour
	if n != nil && (*n < 0 || *n > MaxSearchJoinsPerHour) {
		c.add(SearchJoinsPath, "%d is not between 0 and %d volunteers an hour (0 lets none join through search: they join with the code)", *n, MaxSearchJoinsPerHour)
	}
}
