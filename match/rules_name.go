// Name rules: rules on the whole alignment of a query with a listed name
// (how numbers weigh, a middle initial against another name, a Spanish
// name written with one surname, a surname alone).

package match

import (
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// Constants of the name rules.
const (
	numbersLowFactor      = 0.3  // name.numbers_low: a number's weight is scaled by this
	numbersStrictMin      = 0.8  // name.numbers_strict: a number weighs at least this
	initialClashFactor    = 0.9  // name.initial_clash: the score is scaled by this
	surnameAloneScore     = 0.82 // name.surname_alone: the least score of a rare surname alone
	surnameAloneMinWeight = 0.75 // name.surname_alone: the least rarity weight of the word
)

// numberRule says how numbers in a name weigh.
type numberRule uint8

const (
	numbersPlain  numberRule = iota // as their rarity says (persons' names)
	numbersLow                      // little: series written differently
	numbersStrict                   // as a distinctive word: one entity of a family
)

// numbersFor is the numbers rule of an alignment. Numbers in names of
// organisations: a number on one side only tells another entity of a
// family ("Fund" and "Fund II", "Bowne Global Solutions II"), while
// different numbers on each side are often a series written differently
// ("Fund III" and "Fund IV" of one manager), so they weigh little
// (name.numbers_low). Ships and aircraft: any number the other side lacks
// tells another hull of a fleet ("Victory" and "Victory 3", "Sea Star 5"
// and "Sea Star 6") (name.numbers_strict).
func numbersFor(f *alignFacts, al *alignment, explain bool) numberRule {
	if f.person {
		return numbersPlain
	}
	qn, cn := unmatchedNumber(f.q, f.qUsed), unmatchedNumber(f.c, f.cUsed)
	vessel := f.schema == lexscreen.SchemaVessel || f.schema == lexscreen.SchemaAircraft
	switch {
	case qn && cn && !vessel:
		al.hit(explain, ruleNameNumbersLow, "", "", "number weight x", numbersLowFactor)
		return numbersLow
	case qn || cn:
		al.hit(explain, ruleNameNumbersStrict, "", "", "number weight at least", numbersStrictMin)
		return numbersStrict
	}
	return numbersPlain
}

// weightOf is a token's rarity weight in a name, with the numbers rule of
// the alignment applied to numbers and Roman numerals.
func weightOf(t *tok, numbers numberRule) float64 {
	w := float64(t.weight)
	if numbers != numbersPlain && isNumberTok(t) {
		if numbers == numbersLow {
			w *= numbersLowFactor
		} else {
			w = max(w, numbersStrictMin)
		}
	}
	return w
}

// romanNumeral reports whether s is a Roman numeral from 1 to 39.
func romanNumeral(s string) bool {
	switch strings.TrimLeft(s, "x") {
	case "", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix":
		return s != "" && len(s)-len(strings.TrimLeft(s, "x")) <= 3
	}
	return false
}

func unmatchedNumber(ts []tok, used []bool) bool {
	for i := range ts {
		if !used[i] && isNumberTok(&ts[i]) {
			return true
		}
	}
	return false
}

// initialClash is the condition of name.initial_clash: in a person's
// name, an initial on one side where the other has another name or
// initial left over ("Hans O. Friedrich" and "Hans Joachim Friedrich",
// "William G. Frost" and "William W. Frost"): the middle names disagree.
func initialClash(f *alignFacts, qLeft int) bool {
	if !f.person {
		return false
	}
	qInit, cInit := unaligned(f.q, f.qUsed, names.Initial), unaligned(f.c, f.cUsed, names.Initial)
	return qInit > 0 && f.cLeft+cInit > 0 || cInit > 0 && qLeft > 0
}

// applyNameRules applies the rules on the whole name to the score num/den
// of an alignment: name.initial_clash, else name.one_surname; then
// name.surname_alone. dropped is the cost of the listed words that a
// two-surname name written with one surname leaves out.
func applyNameRules(al *alignment, f *alignFacts, clash bool, num, den, dropped float64, droppedSurname bool, chosen []pairing, explain bool) {
	q, c := f.q, f.c
	if clash {
		al.score *= initialClashFactor
		al.hit(explain, ruleNameInitialClash, "", "", "score x", initialClashFactor)
	} else if droppedSurname && !f.swapped && den > dropped && oneSurnameWritten(chosen, c) {
		// name.one_surname: a Spanish or Portuguese name written the
		// customary way: a given name and one of the two surnames
		// ("Nicolás Maduro" for "MADURO MOROS, Nicolás"; "Hugo Carvajal"
		// for "CARVAJAL BARRIOS, Hugo Armando"). The words so left out
		// cost nothing; the reading costs oneSurnameCost (finish).
		if s := num / (den - dropped); s-oneSurnameCost > al.score {
			al.score, al.oneSurname = s, true
			al.hit(explain, ruleNameOneSurname, "", "", "name score", s)
		}
	}
	// name.surname_alone: a single rare word that is exactly the listed
	// family name ("Putin", "President Putin") is worth a review.
	if len(q) == 1 && len(chosen) == 1 && chosen[0].how == howExact && chosen[0].cn == 1 && f.person &&
		q[0].weight >= surnameAloneMinWeight && isFamily(c, chosen[0].cj) {
		al.score = max(al.score, surnameAloneScore)
		al.hit(explain, ruleNameSurnameAlone, q[0].text, c[chosen[0].cj].text, "name score at least", surnameAloneScore)
	}
}
