package match

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// legalClass is the class of a legal-form token: its generic class from
// org_types.yml ("llc" for GmbH, OOO and Ltd; "jsc" for AG and PAO; "ngo"
// for ANO), or "" when it has none (Estonian OÜ).
func legalClass(t names.Token) string {
	return strings.ToLower(t.Generic)
}

// legalPair holds the legal-form classes of a query name and of a listed
// name.
type legalPair struct{ query, listed []string }

// legalFormEffect is what legal forms of different classes on each side
// take off a score: "Deutsche Bank AG" and "Deutsche Bank GmbH" are two
// companies of one group, an autonomous non-profit (ANO) is not a limited
// liability company of the same name.
const legalFormEffect = -0.25

// evidence reports legal forms of different classes on each side, when
// both sides name one.
func (p legalPair) evidence() (lexscreen.Evidence, bool) {
	if len(p.query) == 0 || len(p.listed) == 0 {
		return lexscreen.Evidence{}, false
	}
	for _, q := range p.query {
		if q == "" || slices.Contains(p.listed, q) {
			return lexscreen.Evidence{}, false // a form of unknown class, or one in common
		}
	}
	if slices.Contains(p.listed, "") {
		return lexscreen.Evidence{}, false
	}
	return lexscreen.Evidence{Kind: "legal_form", Effect: legalFormEffect,
		Detail: fmt.Sprintf("legal forms of different kinds: %s in the query, %s listed",
			strings.Join(p.query, ", "), strings.Join(p.listed, ", "))}, true
}
