// The scoring rules of the matcher, by name. Each rule is a condition on
// a pair of tokens, a token left over or a whole name, and an effect on a
// similarity, a penalty, a weight or the name's score, with its constants
// named beside it. They live in files by concern:
//
//	rules_tokens.go   how alike two words are (tokenSim)
//	rules_pairing.go  which words pair up, and what a pair is worth
//	rules_extra.go    what a query word the listed name lacks costs
//	rules_missing.go  what a listed word the query lacks costs
//	rules_name.go     rules on the whole name: numbers, initials, surnames
//
// alignNames (score.go) applies them; explanations name those that fired
// (lexscreen.Explanation.Rules).

package match

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// ruleID names one scoring rule; ruleNames holds the name explanations
// show. There are fewer than 64, so a ruleSet holds any of them.
type ruleID uint8

// The scoring rules. Their order here is only that of ruleNames; the order
// in which they apply is that of the code that applies them.
const (
	ruleNone ruleID = iota

	// How alike two words are (rules_tokens.go).
	ruleTokenExact
	ruleTokenNumberWordSlip
	ruleTokenInitial
	ruleTokenInitialDiffers
	ruleTokenGenderPair
	ruleTokenSameTranslit
	ruleTokenSpellingTable
	ruleTokenNickname
	ruleTokenRepeatedLetters
	ruleTokenShortSkeleton
	ruleTokenConsonantSwap
	ruleTokenShortDroppedLetter
	ruleTokenShortNoMatch
	ruleTokenSyllablePhonetic
	ruleTokenFourLetterSlip
	ruleTokenSyllableNoMatch
	ruleTokenDifferentStems
	ruleTokenStringSimilarity
	ruleTokenOneSlip
	ruleTokenTwoSlips
	ruleTokenCanonSlip
	ruleTokenPatronymic
	ruleTokenInflection
	ruleTokenSameSounds
	ruleTokenSameConsonants

	// Which words pair up (rules_pairing.go).
	rulePairAbbreviation
	rulePairRolesConflict
	rulePairJoinedQuery
	rulePairJoinedListed
	rulePairAcronym
	rulePairInitialWeight
	rulePairOtherFamily
	rulePairShortSlip

	// Query words the listed name lacks (rules_extra.go).
	ruleExtraWord
	ruleExtraNumberOfFamily
	ruleExtraLegalFormMisspelt
	ruleExtraInitial
	ruleExtraVesselPrefix
	ruleExtraLeadingArticle
	ruleExtraTitle
	ruleExtraVesselWord
	ruleExtraParticle
	ruleExtraMiddleName
	ruleExtraPlace
	ruleExtraSectorWord

	// Listed words the query lacks (rules_missing.go).
	ruleMissingByRole
	ruleMissingSectorWord
	ruleMissingNumberOfFamily
	ruleMissingPlace
	ruleMissingSubstituted
	ruleMissingLeadingArticle

	// The whole name (rules_name.go).
	ruleNameNumbersLow
	ruleNameNumbersStrict
	ruleNameInitialClash
	ruleNameOneSurname
	ruleNameSurnameAlone

	numRules
)

// ruleNames are the names explanations give the rules.
var ruleNames = [numRules]string{
	ruleNone: "",

	ruleTokenExact:              "token.exact",
	ruleTokenNumberWordSlip:     "token.number_word_slip",
	ruleTokenInitial:            "token.initial",
	ruleTokenInitialDiffers:     "token.initial_differs",
	ruleTokenGenderPair:         "token.gender_pair",
	ruleTokenSameTranslit:       "token.same_transliteration",
	ruleTokenSpellingTable:      "token.spelling_table",
	ruleTokenNickname:           "token.nickname",
	ruleTokenRepeatedLetters:    "token.repeated_letters",
	ruleTokenShortSkeleton:      "token.short_same_consonants",
	ruleTokenConsonantSwap:      "token.consonant_swap",
	ruleTokenShortDroppedLetter: "token.short_dropped_letter",
	ruleTokenShortNoMatch:       "token.short_no_match",
	ruleTokenSyllablePhonetic:   "token.syllable_same_sounds",
	ruleTokenFourLetterSlip:     "token.four_letter_slip",
	ruleTokenSyllableNoMatch:    "token.syllable_no_match",
	ruleTokenDifferentStems:     "token.different_stems",
	ruleTokenStringSimilarity:   "token.string_similarity",
	ruleTokenOneSlip:            "token.one_slip",
	ruleTokenTwoSlips:           "token.two_slips",
	ruleTokenCanonSlip:          "token.transliterated_slip",
	ruleTokenPatronymic:         "token.patronymic",
	ruleTokenInflection:         "token.inflection",
	ruleTokenSameSounds:         "token.same_sounds",
	ruleTokenSameConsonants:     "token.same_consonants",

	rulePairAbbreviation:  "pair.abbreviation",
	rulePairRolesConflict: "pair.roles_conflict",
	rulePairJoinedQuery:   "pair.joined_query_words",
	rulePairJoinedListed:  "pair.joined_listed_words",
	rulePairAcronym:       "pair.acronym",
	rulePairInitialWeight: "pair.initial_weight",
	rulePairOtherFamily:   "pair.other_family",
	rulePairShortSlip:     "pair.one_word_short_slip",

	ruleExtraWord:              "extra.word",
	ruleExtraNumberOfFamily:    "extra.number_of_family",
	ruleExtraLegalFormMisspelt: "extra.legal_form_misspelt",
	ruleExtraInitial:           "extra.initial",
	ruleExtraVesselPrefix:      "extra.vessel_prefix",
	ruleExtraLeadingArticle:    "extra.leading_article",
	ruleExtraTitle:             "extra.title",
	ruleExtraVesselWord:        "extra.vessel_word",
	ruleExtraParticle:          "extra.particle",
	ruleExtraMiddleName:        "extra.middle_name",
	ruleExtraPlace:             "extra.place",
	ruleExtraSectorWord:        "extra.sector_word",

	ruleMissingByRole:         "missing.by_role",
	ruleMissingSectorWord:     "missing.sector_word",
	ruleMissingNumberOfFamily: "missing.number_of_family",
	ruleMissingPlace:          "missing.place",
	ruleMissingSubstituted:    "missing.substituted_word",
	ruleMissingLeadingArticle: "missing.leading_article",

	ruleNameNumbersLow:    "name.numbers_low",
	ruleNameNumbersStrict: "name.numbers_strict",
	ruleNameInitialClash:  "name.initial_clash",
	ruleNameOneSurname:    "name.one_surname",
	ruleNameSurnameAlone:  "name.surname_alone",
}

func (r ruleID) String() string { return ruleNames[r] }

// ruleSet is a set of rules, one bit each.
type ruleSet uint64

func (s ruleSet) has(r ruleID) bool { return s&(1<<r) != 0 }

// with returns s with r added.
func (s ruleSet) with(r ruleID) ruleSet { return s | 1<<r }

// String lists the names of the rules of s, in ruleID order.
func (s ruleSet) String() string {
	var out []string
	s.each(func(r ruleID) { out = append(out, r.String()) })
	return strings.Join(out, ",")
}

// each calls f for the rules of s in ruleID order.
func (s ruleSet) each(f func(ruleID)) {
	for s != 0 {
		r := ruleID(bits.TrailingZeros64(uint64(s)))
		f(r)
		s &^= 1 << r
	}
}

// hit records in an explained alignment that rule r fired on a query
// word, a listed word or a pair of them, and what it did: "what v"
// ("penalty 0.35"). It does nothing when explain is false, and inlines to
// a test of explain, so that the scoring of candidates pays nothing for
// explanations.
func (al *alignment) hit(explain bool, r ruleID, query, listed, what string, v float64) {
	if explain {
		al.record(r, query, listed, what, v)
	}
}

// record is hit when explaining.
func (al *alignment) record(r ruleID, query, listed, what string, v float64) {
	al.rules = append(al.rules, lexscreen.RuleHit{Rule: r.String(), Query: query, Listed: listed,
		Effect: what + " " + strconv.FormatFloat(round3(v), 'f', -1, 64)})
}

// ruleNamesOf lists the names of the rules that fired, once each, in the
// order they first fired, leaving out token.exact (the token list shows
// exact words as they are).
func ruleNamesOf(hits []lexscreen.RuleHit) []string {
	var out []string
	for _, h := range hits {
		if h.Rule != ruleTokenExact.String() && !slices.Contains(out, h.Rule) {
			out = append(out, h.Rule)
		}
	}
	return out
}
