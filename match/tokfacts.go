package match

// tokFacts are facts about a token's text that pairSim asks for every pair
// of tokens it compares, worked out once per listed token (index build)
// and per query token (prepare) instead of once per pair: looking them up
// each time was a fifth of the cost of aligning a customer's name with its
// candidates. The zero value means "not worked out": the text is
// consulted then, so a tok built elsewhere compares the same.
type tokFacts struct {
	set        bool  // the facts below were worked out
	patronymic bool  // patronymic(text) != ""
	spelling   int32 // spellingOf[text]: the spelling group, 0 for none
}

// factsOf works out the facts of a token's text.
func factsOf(text string) tokFacts {
	return tokFacts{set: true, patronymic: patronymic(text) != "", spelling: int32(spellingOf[text])}
}

// isPatronymic reports whether the token is a Slavic patronymic
// (patronymic(t.text) != "").
func (t *tok) isPatronymic() bool {
	if t.facts.set {
		return t.facts.patronymic
	}
	return patronymic(t.text) != ""
}

// spellingGroup returns spellingOf[t.text].
func (t *tok) spellingGroup() int32 {
	if t.facts.set {
		return t.facts.spelling
	}
	return int32(spellingOf[t.text])
}

// sameSpellingTok reports whether a and b spell one name of the spellings
// table (spellingOf).
func sameSpellingTok(a, b *tok) bool {
	g := a.spellingGroup()
	return g != 0 && g == b.spellingGroup()
}
