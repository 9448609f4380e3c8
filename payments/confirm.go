package payments

import (
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
	"github.com/lexscreen/lexscreen/source"
)

// A name similar to a listed name is not the listed person. These rules
// keep a payment from being stopped by a resemblance alone (the
// over-compliance issue 18 is about) without hiding anything: a match
// that is discounted is still reported, with why.

// looksLikeOrganization reports whether a party's name ends in a legal
// form ("Muller Trading AB", "Rossi Foods Pte Ltd"): the party is a firm,
// and "AB" or "AS" is its form, not a person's initials.
func looksLikeOrganization(name string) bool {
	ts := names.Tokenize(name, lexscreen.SchemaOrganization)
	n := len(ts)
	return n >= 2 && ts[n-1].Kind == names.LegalForm
}

// byIdentifier reports whether the match was corroborated by an
// identifier of the party (its BIC or LEI carried by the listed entity).
func byIdentifier(m lexscreen.Match) bool {
	for _, e := range m.Explanation.Evidence {
		if e.Kind == "identifier" && e.Effect > 0 {
			return true
		}
	}
	return false
}

// partialFirmName reports why a firm's match is on part of its name: one
// word of the party's name agrees with the listed name, and another word
// of the party's own (not a legal form, particle or country) has no
// counterpart. "Rossi Foods LLC" is not "BANK ROSSI"; "Berg Foods SA" is
// not "BERG AB": firms are told apart by the words of their names. A match
// corroborated by an identifier is never partial. It returns "" when the
// match is not partial.
func partialFirmName(m lexscreen.Match) string {
	if byIdentifier(m) {
		return ""
	}
	aligned := 0
	var extra []string
	for _, a := range m.Explanation.Tokens {
		switch {
		case a.How == "extra" || a.Listed == "":
			if a.Query != "" && !names.IsStopword(a.Query) && !names.IsLegalForm(a.Query) && source.CountryCode(a.Query) == "" {
				extra = append(extra, a.Query)
			}
		case a.How == "missing" || a.Query == "":
		default:
			aligned++
		}
	}
	if aligned != 1 || len(extra) == 0 {
		return ""
	}
	return "the firm's name agrees with the listed name " + quote(m.Explanation.MatchedName) +
		" in one word only, and its own word(s) " + quote(strings.Join(extra, " ")) +
		" have no counterpart: another firm (discounted, not a hit)"
}

// confirmedName reports whether a match identifies the listed party well
// enough to block or reject the payment without a human: an identifier
// agrees, or every word of the party's name is the listed name's own word
// (exactly, joined or transliterated; a listed middle name may be absent)
// with none left over. A resemblance (phonetic, fuzzy, initials, an
// acronym, a word of the party's own left over) is a potential match: the
// payment is held for review, and blocked once an analyst confirms it.
func confirmedName(m lexscreen.Match) bool {
	if byIdentifier(m) {
		return true
	}
	aligned := 0
	for _, a := range m.Explanation.Tokens {
		switch a.How {
		case "exact", "joined", "translit":
			aligned++
		case "missing":
		default:
			return false
		}
	}
	return aligned > 0
}

func quote(s string) string { return "\"" + s + "\"" }
