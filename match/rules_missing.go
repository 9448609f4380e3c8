// Missing-word rules: what a listed word that no query word aligns with
// costs, as a penalty (the share of its weight that counts against the
// match). missing.by_role sets it from the word's role; the rules after it
// adjust it, in order.

package match

import (
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// Penalties of the missing-word rules.
const (
	// missing.by_role: by the listed word's role.
	missingParticlePen     = 0.15 // a particle or legal form: "LLC", "al"
	missingInitialPen      = 0.1  // an initial
	missingOrgWordPen      = 0.7  // a word of a firm's, a ship's or an aircraft's name
	missingFamilyPen       = 1.0  // a person's family name
	missingFirstGivenPen   = 0.45 // a person's first given name
	missingOtherNamePen    = 0.2  // a second given name, a middle name, a patronymic
	missingUntaggedEndPen  = 0.55 // the first or last word of a person's untagged name
	missingSectorPen       = 0.8  // missing.sector_word: "Trust" for "Bank"
	missingPlacePen        = 0.3  // missing.place: "FABERLIC EUROPE" for "Faberlic"
	missingSubstitutedPen  = 0.8  // missing.substituted_word: another name in its place
	missingNumberOfFamPen  = 1.0  // missing.number_of_family: "Fund I" for "Fund"
	missingLeadingArtclPen = 0.0  // missing.leading_article: "The" of "The Boeing Company"
)

// missingCost is the weight of unaligned listed token j and the penalty
// that counts against the match. The order of the adjustments matters: a
// leading article costs nothing whatever came before.
func missingCost(c []tok, j int, f *alignFacts, al *alignment, explain bool) (w, pen float64) {
	t := &c[j]
	w = weightOf(t, f.numbers)
	pen = missingPenalty(c, j, f.person)
	al.hit(explain, ruleMissingByRole, "", t.text, "penalty", pen)
	if !f.person && sectorWords[t.text] && unmatchedSector(f.q, f.qUsed) {
		// "China Construction Trust" is not "China Construction Bank".
		w, pen = max(w, sectorWeight), missingSectorPen
		al.hit(explain, ruleMissingSectorWord, "", t.text, "penalty", pen)
	}
	if f.numbers == numbersStrict && isNumberTok(t) {
		// "Fund I": a numeral that tells one of a family, not an initial.
		pen = missingNumberOfFamPen
		al.hit(explain, ruleMissingNumberOfFamily, "", t.text, "penalty", pen)
	}
	if !f.person && f.coveredWords >= 1 && t.place && !unmatchedPlace(f.q, f.qUsed) {
		pen = min(pen, missingPlacePen) // a subsidiary or branch of the listed firm
		al.hit(explain, ruleMissingPlace, "", t.text, "penalty at most", missingPlacePen)
	}
	if f.swapped && t.kind == names.Word {
		pen = max(pen, missingSubstitutedPen)
		al.hit(explain, ruleMissingSubstituted, "", t.text, "penalty at least", missingSubstitutedPen)
	}
	if !f.person && leadingArticle(c, j) {
		pen = missingLeadingArtclPen
		al.hit(explain, ruleMissingLeadingArticle, "", t.text, "penalty", pen)
	}
	return w, pen
}

// missingPenalty is missing.by_role: the share of a listed token's weight
// that counts against a query that lacks it, by its role: little for
// particles, initials and middle names, more for a given name, fully for
// a family name.
func missingPenalty(c []tok, j int, person bool) float64 {
	t := c[j]
	switch {
	case t.kind == names.Stop:
		return missingParticlePen
	case t.kind == names.Initial:
		return missingInitialPen
	case !person:
		return missingOrgWordPen
	}
	switch t.part {
	case lexscreen.PartFamily:
		return missingFamilyPen
	case lexscreen.PartGiven:
		if j == firstOfPart(c, lexscreen.PartGiven) {
			return missingFirstGivenPen
		}
		return missingOtherNamePen
	case lexscreen.PartMiddle, lexscreen.PartPatronymic, lexscreen.PartMatronymic:
		return missingOtherNamePen
	}
	if j == 0 || j == len(c)-1 {
		return missingUntaggedEndPen
	}
	return missingOtherNamePen
}

func firstOfPart(c []tok, k lexscreen.NamePartKind) int {
	for i, t := range c {
		if t.part == k {
			return i
		}
	}
	return -1
}

// isNumberTok reports whether a token is a number or a Roman numeral.
func isNumberTok(t *tok) bool {
	return t.kind == names.Number || romanNumeral(t.text)
}
