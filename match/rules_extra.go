// Extra-word rules: what a query word that no listed word aligns with
// costs. A cost is a penalty, the share of the word's weight that counts
// against the match (1: all of it, 0: nothing).

package match

import (
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// Penalties of the extra-word rules.
const (
	extraWordPen          = 1.0  // extra.word: any other word counts fully
	extraLegalMisspeltPen = 0.1  // extra.legal_form_misspelt: "OCEAN INK." for "OCEAN INC."
	extraInitialPen       = 0.4  // extra.initial: a middle initial the listed name lacks
	extraTitlePen         = 0.1  // extra.title: an honorific, "Saheb" in "Saheb Agha"
	extraParticlePen      = 0.3  // extra.particle: "de", "al", a legal form, a misspelt legal word
	extraMiddleNamePen    = 0.35 // extra.middle_name: "Mark Albert Taylor" for "Mark Taylor"
	extraPlacePen         = 0.3  // extra.place: "Deutsche Bank (Schweiz)" for "Deutsche Bank"
)

// alignFacts are what the rules on words left over know of the alignment
// of a query with a listed name.
type alignFacts struct {
	person      bool
	schema      lexscreen.Schema
	listedLegal []string   // the listed name's legal forms
	numbers     numberRule // how numbers weigh (rules_name.go)
	// swapped: a word unaligned on each side, a name part substituted
	// ("Mark Albert Taylor" and "Mark John Taylor" are two people).
	swapped      bool
	cLeft        int   // listed words unaligned
	coveredWords int   // listed words aligned
	q, c         []tok // the query's and the listed name's tokens
	qUsed, cUsed []bool
}

// extraCost is the weight of unaligned query token i and the penalty
// that counts against the match: the first rule of the switch that holds
// decides (the order matters: a number that tells one of a family costs
// fully even where it is the last word), then extra.sector_word overrides.
func extraCost(q []tok, i int, f *alignFacts, al *alignment, explain bool) (w, pen float64) {
	t := &q[i]
	w = weightOf(t, f.numbers)
	pen, r := extraWordPen, ruleExtraWord
	vessel := f.schema == lexscreen.SchemaVessel || f.schema == lexscreen.SchemaAircraft
	switch {
	case f.numbers == numbersStrict && isNumberTok(t):
		// A number telling one entity of a family: "Fund I".
		r = ruleExtraNumberOfFamily
	case !f.person && len(f.listedLegal) > 0 && misspeltLegal(t, f.listedLegal):
		pen, r = extraLegalMisspeltPen, ruleExtraLegalFormMisspelt
	case t.kind == names.Initial:
		pen, r = extraInitialPen, ruleExtraInitial
	case i == 0 && t.kind == names.Stop && vesselPrefixes[t.text]:
		pen, r = 0, ruleExtraVesselPrefix // "MV", "MT": the kind of ship, not its name
	case !f.person && leadingArticle(q, i):
		pen, r = 0, ruleExtraLeadingArticle // "The Boeing Company" is "Boeing Company"
	case f.person && t.title:
		pen, r = extraTitlePen, ruleExtraTitle
	case vessel && t.kind == names.Stop && !names.IsStopword(t.text) && !vesselPrefixes[t.text]:
		// Ships and aircraft have no legal forms: a word the query's
		// organisation reading took for one ("Lauren Dunn") is a word.
		w, r = max(w, unknownWeight), ruleExtraVesselWord
	case t.kind == names.Stop, t.legalish:
		pen, r = extraParticlePen, ruleExtraParticle
	case f.person && !f.swapped && !t.cjk && (f.cLeft == 0 && f.coveredWords >= 2 || i > 0 && i < len(q)-1):
		// Extra names are cheap only when the listed name has at least
		// two words and all are found, or in the middle: "Rocco Lochel"
		// is not the mononym "ROCCO".
		pen, r = extraMiddleNamePen, ruleExtraMiddleName
	case !f.person && f.coveredWords >= 1 && t.place && !unmatchedPlace(f.c, f.cUsed):
		pen, r = extraPlacePen, ruleExtraPlace
	}
	if !f.person && sectorWords[t.text] && !(len(f.listedLegal) > 0 && misspeltLegal(t, f.listedLegal)) {
		// "Deutsche Bank Trust Company" is not "Deutsche Bank" (unless the
		// word belongs to the listed legal form: "JOINT STOK COMMERCIAL
		// BANK" for "JSCB").
		w, pen, r = max(w, sectorWeight), extraWordPen, ruleExtraSectorWord
	}
	al.hit(explain, r, t.text, "", "penalty", pen)
	return w, pen
}
