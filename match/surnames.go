package match

import (
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// markSurnames reports, for the tokens of a listed person's name, which are
// one of its two (or three) surnames: the name's parts tag a given name
// and a family name of two or three words (particles aside), and either
// the person is linked to a country of two-surname names (nationality,
// citizenship, birth place, address) or a joining particle stands between
// the family name's words. It returns nil for other names. A query that
// gives a given name and one of the surnames is that name written the
// customary way (alignNames, oneSurnameCost).
func markSurnames(toks []names.Token, countries []string) []bool {
	shape, joined := twoSurnameShape(toks)
	if !shape {
		return nil
	}
	if !joined {
		hispanic := false
		for _, c := range countries {
			hispanic = hispanic || names.TwoSurnameCountry(c)
		}
		if !hispanic {
			return nil
		}
	}
	out := make([]bool, len(toks))
	for i, t := range toks {
		out[i] = t.Part == lexscreen.PartFamily && t.Kind == names.Word
	}
	return out
}

// twoSurnameShape reports whether a listed person's name has the shape of
// a two-surname name: parts that tag a given name and a family name of two
// or three words (particles aside); joined, whether a joining particle
// stands between two words of the family name.
func twoSurnameShape(toks []names.Token) (shape, joined bool) {
	words, given := 0, false
	for i, t := range toks {
		switch {
		case t.Part == lexscreen.PartFamily && t.Kind == names.Word:
			words++
		case t.Part == lexscreen.PartFamily && t.Kind != names.Word && names.IsSurnameJoiner(t.Text) && // ("y" reads as an initial)
			i > 0 && toks[i-1].Part == lexscreen.PartFamily && toks[i-1].Kind == names.Word:
			joined = true
		case (t.Part == lexscreen.PartGiven || t.Part == lexscreen.PartMiddle) && t.Kind == names.Word:
			given = true
		}
	}
	return words >= 2 && words <= 3 && given, joined
}

// markLearnedSurnames marks the surnames of the names of two-surname shape
// that markSurnames could not tell (no country is listed for the person,
// as often in the EU list: "Diosdado CABELLO RONDÓN") when every word of
// their family name is a surname of names it did mark: words, which the
// index learns from its lists (Index.surnameWords). ix is an index being
// built (its fields are read and changed).
func markLearnedSurnames(ix *Index, nids []uint32, known func(word string) bool) {
	for _, nid := range nids {
		nr := &ix.names[nid]
		all := true
		for _, t := range nr.toks {
			if t.part == lexscreen.PartFamily && t.kind == names.Word && !known(ix.toks[t.id].text) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		for i, t := range nr.toks {
			if t.part == lexscreen.PartFamily && t.kind == names.Word {
				nr.toks[i].surname = true
			}
		}
	}
}

// oneSurnameCost is what a query that gives one of the two surnames of a
// listed Spanish or Portuguese name (and maybe not all its given names)
// costs: such a name written the customary way scores 1 - oneSurnameCost
// on the name alone, just under the threshold, and above it with an
// agreeing date of birth or nationality.
const oneSurnameCost = 0.24

// oneSurnameDroppable reports whether listed token j may be left out of a
// two-surname name written the customary way: one of its surnames, a
// particle, a middle name or a given name after the first.
func oneSurnameDroppable(c []tok, j int) bool {
	t := &c[j]
	switch {
	case t.surname, t.kind == names.Stop, t.part == lexscreen.PartMiddle, t.part == lexscreen.PartFamily && names.IsSurnameJoiner(t.text):
		return true
	case t.part == lexscreen.PartGiven:
		return j != firstOfPart(c, lexscreen.PartGiven)
	}
	return false
}
