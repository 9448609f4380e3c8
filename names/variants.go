package names

import (
	"strings"
)

// Variants returns the Latin readings of a name: Fold(s) first, then other
// plausible romanisations when the script leaves the reading open. Each is a
// folded string (lower-case ASCII words). At most maxVariants are returned.
//
//   - Han characters only: the Chinese readings (HanVariants), the Korean
//     (Hanja) reading through Hangul (金正恩 -> 김정은 -> "kim jong un"), the
//     Japanese reading of a surname + given name (山田太郎 -> "yamada taro",
//     from a table of common names, else per-character readings with
//     rendaku), and for transcribed foreign names (弗拉基米尔·普京) the
//     joined pinyin ("fulajimier pujing") and up to four readings through
//     the Xinhua transcription table (hanLoanVariants: "flakimir pujin").
//     A name whose parts a middle dot joins is a foreign name: no Korean or
//     Japanese reading.
//   - Arabic script: for words that look like transcribed European names,
//     the vowels such transcriptions write (arabicLoanVariants: تيريز ->
//     "teres", أوندوا -> "ondoa"); Arabic names keep Fold alone.
//   - Hangul: KoreanVariants (which includes the loan-word reading).
//   - Kana (with or without kanji): a loan-word reading of katakana
//     (ウラジーミル -> "vladimir": r/l, chi/ti, ji/di, epenthetic u/o dropped).
//   - Greek: the name without its nominative ending (Αλέξανδρος ->
//     "alexandr", Νικόλαος -> "nikola").
//   - Hebrew: consonantal readings of the vowel letters ו and י (דוד -> "dvd",
//     "dod").
//   - Devanagari and Bengali: bh read as v in transcribed foreign names.
//   - Myanmar: one word per syllable (Burmese names are written joined).
//   - Latin in Hungarian spelling (accents and gy/ty/ny/sz/cs/zs present): the
//     digraphs read as in other transcriptions (Putyin -> "putin", Vlagyimir
//     -> "vladimir", Szergej -> "sergej", Sojgu -> "shojgu").
//   - Latin in Wade-Giles (Hsi Chin-ping, Ch'en Shui-pien, Hsü): the pinyin
//     reading from PinyinFromWadeGiles ("xi jinping", "chen shuibian", "xu").
func Variants(s string) []string {
	s = Clean(s)
	base := Fold(s)
	out := []string{base}
	if base == "" {
		return out
	}
	if isASCII(s) {
		if v, ok := PinyinFromWadeGiles(s); ok {
			out = appendUnique(out, v)
		}
		return out
	}
	switch Script(s) {
	case "Hani":
		out = appendUnique(out, HanVariants(s)...)
		if !hanDotted(s) {
			// a name in parts joined by a middle dot is a transcribed
			// foreign name: no Korean or Japanese reading
			out = appendUnique(out, hanjaVariants(s)...)
			out = appendUnique(out, japaneseKanjiVariants(s)...)
		}
		out = appendUnique(out, hanLoanVariants(s)...)
	case "Hang", "Kore":
		out = appendUnique(out, KoreanVariants(s)...)
	case "Jpan":
		out = appendUnique(out, japaneseKanjiVariants(s)...)
		out = appendUnique(out, kanaLoanVariant(s)...)
	case "Arab":
		out = appendUnique(out, arabicLoanVariants(s)...)
	case "Grek":
		out = appendUnique(out, greekEndings(base)...)
	case "Hebr":
		out = appendUnique(out, hebrewVariants(s)...)
	case "Deva", "Beng":
		if strings.Contains(base, "bh") {
			out = appendUnique(out, bhToV(base))
		}
	case "Mymr":
		out = appendUnique(out, myanmarSyllables(s))
		if strings.Contains(base, "y") && strings.ContainsRune(s, 'ယ') {
			// ယ (ya) and ရ (ra) are both said "y" in Burmese, and a
			// foreign r is written with either: ဗလာဒီမီယာ is Vladimir.
			out = appendUnique(out, myanmarYaAsRa(s, base))
		}
	case "Latn":
		if v := hungarianVariant(s, base); v != "" {
			out = appendUnique(out, v)
		}
		if v, ok := PinyinFromWadeGiles(s); ok { // with ü, ê or ‘ ’ ʻ
			out = appendUnique(out, v)
		}
	}
	if len(out) > maxVariants {
		out = out[:maxVariants]
	}
	return out
}

const maxVariants = 16

// LoanReadings returns the readings of s, among those of Variants, that
// read it as a transcription of a foreign name through a transcription table
// (Chinese characters: hanLoanVariants without the pinyin; katakana and
// Hangul loan-word readings): whole words that stand for a name spelt in
// Latin letters, not syllables of a Chinese, Japanese or Korean name, so
// they may be compared with the usual spelling tolerance. Nil for other
// names.
func LoanReadings(s string) []string {
	switch Script(s) {
	case "Hani":
		if v := hanLoanVariants(s); len(v) > 1 {
			return v[1:]
		}
	case "Jpan":
		return kanaLoanVariant(s)
	case "Hang", "Kore":
		return koreanLoanVariants(s)
	}
	return nil
}
