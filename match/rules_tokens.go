// Token rules: how alike a query word and a listed word are. tokenSim
// applies them in order; the helpers they test are in tokensim.go.

package match

import (
	"strings"

	"github.com/lexscreen/lexscreen/names"
)

// Similarities the token rules give.
const (
	simExact           = 1.0        // token.exact: the same word
	simNumberWordSlip  = 0.9        // token.number_word_slip: "fith" for "fifth", read 5
	simInitial         = 0.9        // token.initial: "j" for "john"
	simGenderPair      = minPairSim // token.gender_pair: Antonio and Antonia pair only when nothing else does
	simSameTranslit    = 0.92       // token.same_transliteration: "aly" and "ali"
	simSpellingTable   = 0.92       // token.spelling_table: "husain" and "hossein"
	simNickname        = 0.88       // token.nickname: "bill" and "william"
	simRepeatedLetters = 0.9        // token.repeated_letters: "joonng" and "jong"
	simShortConsonants = 0.88       // token.short_same_consonants: "han" and "khan"
	simConsonantSwap   = 0.86       // token.consonant_swap: "vol" and "wol"
	simShortDropped    = 0.8        // token.short_dropped_letter: "ban" and "bank"
	simSyllableSounds  = 0.9        // token.syllable_same_sounds: Korean and Chinese syllables
	simFourLetterShape = 0.86       // token.four_letter_slip: a letter added, dropped, or two swapped
	simFourLetterOther = 0.84       // token.four_letter_slip: a letter changed ("snoe" is not "snow")
	simOneSlip         = 0.9        // token.one_slip: one typing slip in a word of five letters or more
	simTwoSlips        = 0.86       // token.two_slips: two slips in a word of twoSlipsMinLen letters or more
	simInflection      = 0.93       // token.inflection: "putinas" and "putin"
	simSameSoundsSlip  = 0.94       // token.same_sounds: the same sounds and one slip apart
	simSameSoundsMin   = 0.76       // token.same_sounds: the least string similarity it lifts
	simSameConsonants  = 0.9        // token.same_consonants: abjad transliterations, "mhmd" and "muhammad"
)

// Lengths the token rules test.
const (
	repeatedLettersMaxLen = 10 // token.repeated_letters: longer words are left to the slip rules
	shortWordMaxLen       = 3  // words this short match only by the short rules
	fourLetterLen         = 4  // token.four_letter_slip
	twoSlipsMinLen        = 8  // token.two_slips
	inflectionMinLen      = 5  // token.inflection: the shorter word's least length
	inflectionMaxAdded    = 2  // token.inflection: the most letters an ending adds
)

// editShare is the share of edit similarity in the string similarity of
// two words (the rest is Jaro-Winkler's).
const editShare = 0.5

// stringSim is the plain string similarity of two words: edit distance and
// Jaro-Winkler, half each.
func stringSim(a, b string) float64 {
	return editShare*editSim(a, b) + (1-editShare)*jaroWinkler(a, b)
}

// tokenSim compares two folded tokens.
func tokenSim(a, b *tok) (float64, string) {
	s, how, _ := tokenSimRules(a, b)
	return s, how
}

// tokenSimRules compares two folded tokens and says which rules decided.
// The order of the cases matters: the first that holds decides, and the
// rules of short words, of syllables and four-letter words, and of longer
// words are tried only on those.
func tokenSimRules(a, b *tok) (float64, string, ruleSet) {
	la, lb := len(a.text), len(b.text)
	switch {
	case a.text == b.text:
		return simExact, howExact, ruleTokenExact.set()
	case la == 0 || lb == 0:
		return 0, "", 0
	case numberWordSlipPair(a, b):
		return simNumberWordSlip, howFuzzy, ruleTokenNumberWordSlip.set()
	case a.kind == names.Initial || b.kind == names.Initial || la == 1 || lb == 1:
		// token.initial: an initial stands for any word it begins.
		if a.text[0] == b.text[0] {
			return simInitial, howInitial, ruleTokenInitial.set()
		}
		return 0, "", ruleTokenInitialDiffers.set()
	case genderPair(a.text, b.text):
		// Antonio and Antonia, Mario and Maria: a man's and a woman's name.
		return simGenderPair, howFuzzy, ruleTokenGenderPair.set()
	case a.canon != "" && a.canon == b.canon && !a.cjk && !b.cjk:
		// The same name in two transliterations: "aly" ~ "ali",
		// "dzhesus" ~ "jesus", "stil" ~ "steel".
		return simSameTranslit, howTranslit, ruleTokenSameTranslit.set()
	case sameSpellingTok(a, b):
		return simSpellingTable, howTranslit, ruleTokenSpellingTable.set() // "husain" ~ "hossein"
	case isNickname(a, b):
		return simNickname, howNickname, ruleTokenNickname.set()
	case la != lb && max(la, lb) <= repeatedLettersMaxLen && equalCollapsed(a.text, b.text):
		return simRepeatedLetters, howFuzzy, ruleTokenRepeatedLetters.set() // "uun" ~ "un", "joonng" ~ "jong"
	case min(la, lb) <= shortWordMaxLen:
		return shortTokenSim(a, b, la, lb)
	case a.cjk || b.cjk || (min(la, lb) == fourLetterLen && !a.abjad && !b.abjad):
		return syllableSim(a, b, la, lb)
	case differentStems(a.text, b.text):
		// The same ending or beginning of a name around different names:
		// Jónsdóttir and Tómasdóttir, Abdurrahim and Abdurrahman.
		return 0, "", ruleTokenDifferentStems.set()
	}
	return longTokenSim(a, b, la, lb)
}

// numberWordSlipPair reports whether one token is a number and the other a
// word spelling it with a slip ("fith" for "fifth", which reads 5).
func numberWordSlipPair(a, b *tok) bool {
	return a.kind == names.Number != (b.kind == names.Number) && (numberWordSlip(a, b) || numberWordSlip(b, a))
}

// shortTokenSim compares tokens one of which has three letters or fewer.
// Short tokens (Chinese and Korean syllables, "li", "ho") differ by one
// letter from too many others: only exact matches count, and
// transliterations with the same consonants ("han" ~ "khan").
func shortTokenSim(a, b *tok, la, lb int) (float64, string, ruleSet) {
	switch {
	case shortSameConsonants(a, b, la, lb):
		return simShortConsonants, howTranslit, ruleTokenShortSkeleton.set()
	case la == lb && oneConsonantSwap(a.text, b.text):
		return simConsonantSwap, howTranslit, ruleTokenConsonantSwap.set() // "vol" ~ "wol", "tgk" ~ "tgc"
	case shortDroppedLetter(a, b, la, lb):
		return simShortDropped, howFuzzy, ruleTokenShortDroppedLetter.set()
	}
	return 0, "", ruleTokenShortNoMatch.set()
}

// shortSameConsonants reports whether two short tokens have the same
// consonants: a three-letter word and one a letter longer ("han" and
// "khan"), or any two in a transliteration from an abjad.
func shortSameConsonants(a, b *tok, la, lb int) bool {
	if len(a.skel) < 2 || a.skel != b.skel {
		return false
	}
	return min(la, lb) == 3 && la != lb && levenshtein(a.text, b.text, 1) == 1 || a.abjad || b.abjad
}

// shortDroppedLetter reports whether a three-letter word is a four-letter
// one with a letter dropped, keeping the first ("ban" ~ "bank", "coe" ~
// "choe"), but not the g of a syllable's ng ("jon" is not "jong").
func shortDroppedLetter(a, b *tok, la, lb int) bool {
	if min(la, lb) != 3 || absDiff(la, lb) != 1 || a.cjk || b.cjk {
		return false
	}
	short, long := a.text, b.text
	if la > lb {
		short, long = long, short
	}
	return short[0] == long[0] && !strings.HasSuffix(long, "ng") && levenshtein(short, long, 1) == 1
}

// syllableSim compares syllables of Chinese and Korean names and
// four-letter words: they are too alike for free spelling tolerance, so
// only the same sounds, a consonant of the same class, or (not for
// syllables) one edit that keeps the first letter count.
func syllableSim(a, b *tok, la, lb int) (float64, string, ruleSet) {
	switch {
	case a.phon != "" && a.phon == b.phon && levenshtein(a.text, b.text, 1) <= 1:
		return simSyllableSounds, howPhonetic, ruleTokenSyllablePhonetic.set()
	case la == lb && oneConsonantSwap(a.text, b.text):
		return simConsonantSwap, howTranslit, ruleTokenConsonantSwap.set()
	case !a.cjk && !b.cjk && (a.text[0] == b.text[0] || !a.abjad && !b.abjad && !a.known) && levenshtein(a.text, b.text, 1) == 1:
		if la != lb || transposed(a.text, b.text) {
			// A letter missing or added, two swapped: "otus" ~ "lotus", "ogla" ~ "olga".
			return simFourLetterShape, howFuzzy, ruleTokenFourLetterSlip.set()
		}
		// A letter changed makes another word more often: "snow" ~ "snoe".
		return simFourLetterOther, howFuzzy, ruleTokenFourLetterSlip.set()
	}
	return 0, "", ruleTokenSyllableNoMatch.set()
}

// longTokenSim compares words of five letters or more (four in
// transliterations from an abjad): their string similarity, which the
// rules below may raise, in this order (a later one sees what an earlier
// one made of it).
func longTokenSim(a, b *tok, la, lb int) (float64, string, ruleSet) {
	fired := ruleTokenStringSimilarity.set()
	s := stringSim(a.text, b.text)
	how := howFuzzy
	latin := !a.abjad && !b.abjad
	// One of three slip rules, the first that holds.
	if s < simOneSlip && latin && levenshtein(a.text, b.text, 1) == 1 {
		// A letter wrong, missing, added or two letters swapped.
		s, fired = simOneSlip, fired.with(ruleTokenOneSlip)
	} else if s < simTwoSlips && min(la, lb) >= twoSlipsMinLen && latin && levenshtein(a.text, b.text, 2) == 2 {
		s, fired = simTwoSlips, fired.with(ruleTokenTwoSlips)
	} else if s < canonSlipSim && latin && canonSlip(a.canon, b.canon) {
		// A slip in a name written in another transliteration ("karilna"
		// ~ "carina", "vanjiu" ~ "wanji").
		s, fired = canonSlipSim, fired.with(ruleTokenCanonSlip)
	}
	if pa, pb := patronymic(a.text), patronymic(b.text); pa != "" && pb != "" {
		// Patronymics spelt in other languages' ways: Vladimirovich,
		// Wladimirowitsch, Vlagyimirovics, Volodymyrovych.
		if ps := stringSim(pa, pb); ps > s {
			s, fired = ps, fired.with(ruleTokenPatronymic)
		}
	}
	if s < simInflection && inflected(a.text, b.text, la, lb) {
		s, fired = simInflection, fired.with(ruleTokenInflection)
	}
	if a.phon != "" && a.phon == b.phon && s < simSameSoundsSlip && s >= simSameSoundsMin {
		// The same sounds: a spelling when one slip apart, else a
		// look-alike as often as the same name (Victor, Victoria).
		if levenshtein(a.text, b.text, 1) <= 1 || a.canon != "" && levenshtein(a.canon, b.canon, 1) <= 1 {
			s = simSameSoundsSlip
		} else {
			s = max(s, phoneticLooseSim)
		}
		how, fired = howPhonetic, fired.with(ruleTokenSameSounds)
	}
	if s < simSameConsonants && len(a.skel) >= 2 && a.skel == b.skel && (a.abjad || b.abjad || !hasVowel(a.text) || !hasVowel(b.text)) {
		// Transliterations from an abjad, or a word written without its
		// vowels: the same consonants.
		s, how, fired = simSameConsonants, howTranslit, fired.with(ruleTokenSameConsonants)
	}
	return s, how, fired
}

// inflected reports whether the longer word is the shorter, of five
// letters or more, with an inflected ending of one or two letters (Baltic
// "Putins", "Putinas"; "Poutine").
func inflected(a, b string, la, lb int) bool {
	if min(la, lb) < inflectionMinLen {
		return false
	}
	short, long := a, b
	if la > lb {
		short, long = long, short
	}
	return len(long)-len(short) <= inflectionMaxAdded && strings.HasPrefix(long, short) && inflection(long[len(short):])
}

// set returns the set of the one rule r.
func (r ruleID) set() ruleSet { return 1 << r }
