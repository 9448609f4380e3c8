package names

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
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

// ---- reading data ----

//go:embed data/cjk_readings.tsv.gz
var cjkReadingsGz []byte

//go:embed data/ja_names.txt
var jaNamesTxt string

type hanReading struct {
	hangul []string // Korean readings, name readings first
	kun    []string // Japanese native readings
	on     []string // Japanese Sino-Japanese readings
}

var (
	cjkOnce     sync.Once
	cjkReadings map[rune]hanReading
	jaSurnames  map[string][]string
	jaGiven     map[string][]string
	jaElements  map[rune][]string
	jaMaxSur    int
)

func loadCJK() {
	cjkReadings = make(map[rune]hanReading, 15000)
	if zr, err := gzip.NewReader(bytes.NewReader(cjkReadingsGz)); err == nil {
		data, err := io.ReadAll(zr)
		if err == nil {
			for line := range strings.SplitSeq(string(data), "\n") {
				f := strings.Split(line, "\t")
				if len(f) != 4 {
					continue
				}
				r, _ := utf8.DecodeRuneInString(f[0])
				cjkReadings[r] = hanReading{hangul: strings.Fields(f[1]), kun: strings.Fields(f[2]), on: strings.Fields(f[3])}
			}
		}
	}
	jaSurnames, jaGiven, jaElements = map[string][]string{}, map[string][]string{}, map[rune][]string{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(jaNamesTxt))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if i := strings.Index(k, "々"); i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(k[:i])
			k = k[:i] + string(prev) + k[i+len("々"):]
		}
		rs := strings.Split(v, "/")
		switch section {
		case "surname":
			jaSurnames[k] = appendUnique(jaSurnames[k], rs...)
			if n := utf8.RuneCountInString(k); n > jaMaxSur {
				jaMaxSur = n
			}
		case "given":
			jaGiven[k] = appendUnique(jaGiven[k], rs...)
		case "element":
			r, _ := utf8.DecodeRuneInString(k)
			jaElements[r] = appendUnique(jaElements[r], rs...)
		}
	}
}

func readingOf(r rune) (hanReading, bool) {
	cjkOnce.Do(loadCJK)
	h, ok := cjkReadings[r]
	return h, ok
}

// hanWords splits s into words of Han characters and counts the
// characters; ok is false when s holds anything but Han characters and
// separators.
func hanWords(s string) (words [][]rune, chars int, ok bool) {
	var cur []rune
	for _, r := range s {
		switch {
		case isHan(r):
			if r == 0x3005 && len(cur) > 0 { // 々 repeats the previous character
				r = cur[len(cur)-1]
			}
			cur = append(cur, r)
		case r == ' ' || r == 0x3000 || r == 0xB7 || r == 0x30FB || r == 0xFF65 || r == '.' || r == ',' || r == '-' || r == 0x2027 || r == 0x2022:
			if len(cur) > 0 {
				words = append(words, cur)
				cur = nil
			}
		default:
			return nil, 0, false
		}
	}
	if len(cur) > 0 {
		words = append(words, cur)
	}
	for _, w := range words {
		chars += len(w)
	}
	return words, chars, len(words) > 0
}

// ---- Korean readings of Han characters ----

// hanjaVariants reads a Han name of 2 to 4 characters in Korean: every
// character must have a Korean reading. The Hangul string (both readings of
// the surname where it has two, e.g. 李 리/이) goes through KoreanVariants.
func hanjaVariants(s string) []string {
	words, n, ok := hanWords(s)
	if !ok {
		return nil
	}
	if n < 2 || n > 4 || len(words) > 2 {
		return nil
	}
	var surs []string
	var b strings.Builder
	first := true
	for wi, w := range words {
		if wi > 0 {
			b.WriteByte(' ')
		}
		for _, r := range w {
			h, ok := readingOf(r)
			if !ok || len(h.hangul) == 0 {
				return nil
			}
			if first {
				surs = h.hangul
				first = false
				b.WriteString("\x00")
				continue
			}
			b.WriteString(h.hangul[0])
		}
	}
	var out []string
	for i, sur := range surs {
		if i >= 2 {
			break
		}
		hg := strings.Replace(b.String(), "\x00", sur, 1)
		out = appendUnique(out, KoreanVariants(hg)...)
	}
	return out
}

// ---- Japanese readings of kanji ----

// rendaku voices the first consonant of the second part of a compound
// (山田 yama + ta -> yamada).
func rendaku(s string) string {
	for _, p := range [...][2]string{{"ch", "j"}, {"sh", "j"}, {"ts", "z"}, {"k", "g"}, {"s", "z"}, {"t", "d"}, {"h", "b"}, {"f", "b"}} {
		if strings.HasPrefix(s, p[0]) {
			return p[1] + s[len(p[0]):]
		}
	}
	return s
}

// kunStem returns a native reading without the endings of verbs and
// adjectives that Unihan lists (futoi -> futo, futoru -> futo) when the
// reading is long; names use the stem.
func kunStem(k string) string {
	if len(k) > 4 {
		for _, suf := range [...]string{"ru", "i", "u", "su", "mu", "ku", "tsu"} {
			if strings.HasSuffix(k, suf) && len(k)-len(suf) >= 3 {
				return k[:len(k)-len(suf)]
			}
		}
	}
	return k
}

// charReadings returns the readings of one kanji used inside names: the
// name-element table first, then the first native and Sino-Japanese
// readings of Unihan.
func charReadings(r rune, given bool) []string {
	cjkOnce.Do(loadCJK)
	var out []string
	if given {
		out = append(out, jaElements[r]...)
	}
	if h, ok := cjkReadings[r]; ok {
		if len(h.kun) > 0 {
			out = appendUnique(out, kunStem(h.kun[0]))
		}
		if len(h.on) > 0 {
			out = appendUnique(out, collapseLong(h.on[0]))
		}
	}
	if !given {
		out = appendUnique(out, jaElements[r]...)
	}
	return out
}

// collapseLong writes long vowels single as passports do (rou -> ro, kyuu -> kyu).
func collapseLong(s string) string {
	s = strings.ReplaceAll(s, "ou", "o")
	s = strings.ReplaceAll(s, "uu", "u")
	s = strings.ReplaceAll(s, "oo", "o")
	return s
}

// composeReadings reads a run of kanji character by character (at most
// limit results), with rendaku on every character after the first as a
// second choice.
func composeReadings(rs []rune, given bool, limit int) []string {
	acc := []string{""}
	for i, r := range rs {
		cands := charReadings(r, given)
		if len(cands) == 0 {
			return nil
		}
		if len(cands) > 2 {
			cands = cands[:2]
		}
		var next []string
		for _, a := range acc {
			for _, c := range cands {
				next = appendUnique(next, a+c)
				if i > 0 && !given {
					next = appendUnique(next, a+rendaku(c))
				}
			}
		}
		if len(next) > limit {
			next = next[:limit]
		}
		acc = next
	}
	return acc
}

// givenReadings reads a given name: the table of given names, else a known
// name ending (子 ko, 郎 ro ...) after a table given name, else per character.
func givenReadings(rs []rune) []string {
	if g := jaGiven[string(rs)]; len(g) > 0 {
		return g
	}
	return composeReadings(rs, true, 3)
}

// japaneseKanjiVariants reads a name of 2 to 6 kanji (or kanji and kana) as
// a Japanese surname followed by a given name. A space, when present,
// separates them; otherwise the longest surname of the table that leaves a
// given name is used, else every split of 1 or 2 characters. Kana parts are
// folded as Hepburn.
func japaneseKanjiVariants(s string) []string {
	cjkOnce.Do(loadCJK)
	var words [][]rune
	var cur []rune
	for _, r := range s {
		switch {
		case isHan(r) || (r >= 0x3041 && r <= 0x30FA) || r == 0x30FC:
			if r == 0x3005 && len(cur) > 0 {
				r = cur[len(cur)-1]
			}
			cur = append(cur, r)
		case r == ' ' || r == 0x3000 || r == 0x30FB || r == 0xB7:
			if len(cur) > 0 {
				words = append(words, cur)
				cur = nil
			}
		default:
			return nil
		}
	}
	if len(cur) > 0 {
		words = append(words, cur)
	}
	total := 0
	for _, w := range words {
		total += len(w)
	}
	if total < 2 || total > 6 || len(words) > 2 {
		return nil
	}
	readPart := func(rs []rune, given bool) []string {
		hasKana := false
		for _, r := range rs {
			if !isHan(r) {
				hasKana = true
			}
		}
		if hasKana {
			if f := Fold(string(rs)); f != "" && !strings.Contains(f, " ") {
				return []string{f} // kana, or kanji the caller cannot split
			}
			return nil
		}
		if given {
			return givenReadings(rs)
		}
		if sr := jaSurnames[string(rs)]; len(sr) > 0 {
			return sr
		}
		return composeReadings(rs, false, 4)
	}
	var splits [][2][]rune
	if len(words) == 2 {
		splits = append(splits, [2][]rune{words[0], words[1]})
	} else {
		w := words[0]
		for n := min(jaMaxSur, len(w)-1); n >= 1; n-- {
			if jaSurnames[string(w[:n])] != nil {
				splits = append(splits, [2][]rune{w[:n], w[n:]})
				break
			}
		}
		// without a known surname the split is a guess: per-character
		// readings of an unknown surname are too unreliable to offer.
	}
	var out []string
	for _, sp := range splits {
		surs := readPart(sp[0], false)
		givs := readPart(sp[1], true)
		for i, sr := range surs {
			if i >= 3 {
				break
			}
			for j, g := range givs {
				if j >= 2 {
					break
				}
				out = appendUnique(out, Fold(sr+" "+g))
			}
		}
	}
	if len(out) > 6 {
		out = out[:6]
	}
	return out
}

// ---- loan-word readings ----

// kanaLoanVariant reads katakana words as transcriptions of foreign names:
// Hepburn with chi -> ti, ji -> di, an epenthetic u (after most consonants)
// or o (after t, d) dropped before a consonant or at the end of the word
// unless a long-vowel mark follows it, and a word-initial ウ before a
// consonant read v (ウラジーミル -> "vladimir"). Returned twice: with r, and
// with r read l except at the end of a word ("donald", "vladimir").
func kanaLoanVariant(s string) []string {
	var rw, lw, lw2 []string
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return r == ' ' || r == 0x30FB || r == 0xB7 || r == 0xFF65 || r == '=' || r == 0x30A0 || r == 0x3000
	}) {
		if !hasKatakana(w) {
			f := Fold(w)
			rw, lw, lw2 = append(rw, f), append(lw, f), append(lw2, f)
			continue
		}
		r := loanKana(w)
		rw = append(rw, r)
		l, l2 := []byte(r), []byte(r)
		for i := 0; i < len(l)-1; i++ {
			if l[i] == 'r' {
				l[i] = 'l'
				if i == 0 || isVowel(l2[i-1]) {
					l2[i] = 'l'
				}
			}
		}
		lw = append(lw, string(l))
		lw2 = append(lw2, string(l2))
	}
	r := Fold(strings.Join(rw, " "))
	if r == "" {
		return nil
	}
	return appendUnique(nil, r, Fold(strings.Join(lw, " ")), Fold(strings.Join(lw2, " ")))
}

func hasKatakana(s string) bool {
	for _, r := range s {
		if r >= 0x30A1 && r <= 0x30FA {
			return true
		}
	}
	return false
}

// loanKana romanises one katakana word with the loan-word rules.
func loanKana(w string) string {
	type syl struct {
		raw  []rune
		long bool
	}
	var ss []syl
	var gem bool
	for _, r := range w {
		switch {
		case r == 0x30FC:
			if len(ss) > 0 {
				ss[len(ss)-1].long = true
			}
		case r == 0x30C3 || r == 0x3063:
			gem = true
		case strings.ContainsRune("ャュョァィゥェォゃゅょぁぃぅぇぉヮ", r) && len(ss) > 0:
			ss[len(ss)-1].raw = append(ss[len(ss)-1].raw, r)
		default:
			var raw []rune
			if gem {
				raw = append(raw, 0x30C3)
				gem = false
			}
			ss = append(ss, syl{raw: append(raw, r)})
		}
	}
	roms := make([]string, len(ss))
	for i, s := range ss {
		roms[i] = Fold(string(s.raw))
	}
	var b strings.Builder
	for i, s := range ss {
		rm := roms[i]
		switch {
		case strings.HasSuffix(rm, "chi") && len(rm) == 3:
			rm = "ti"
		case rm == "ji":
			rm = "di"
		}
		if rm == "" {
			continue
		}
		var next string
		if i+1 < len(roms) {
			next = roms[i+1]
		}
		nextCons := next == "" || !isVowel(next[0]) && next[0] != 'y'
		if i == 0 && rm == "u" && i+1 < len(roms) && next != "" && !isVowel(next[0]) && next != "n" {
			b.WriteByte('v')
			continue
		}
		if !s.long && len(rm) >= 2 && nextCons && next != "n" {
			last := rm[len(rm)-1]
			p := rm[len(rm)-2]
			end := next == ""
			nextR := strings.HasPrefix(next, "r")
			if last == 'u' && strings.IndexByte("rskgbpfmzth", p) >= 0 && (end || nextR || p == 'r' || p == 's') ||
				last == 'o' && (p == 't' || p == 'd') && (end || nextR) {
				rm = rm[:len(rm)-1]
				if rm == "ts" {
					rm = "t"
				}
			}
		}
		if rm == "n" && next != "" && strings.IndexByte("pbm", next[0]) >= 0 {
			rm = "m"
		}
		b.WriteString(rm)
	}
	return b.String()
}

// hanLoanVariants reads a Han name written as a Chinese transcription of a
// foreign name (more than 4 characters, or words separated by a middle dot):
// the pinyin of each part joined into one word ("beilake aobama"), then up
// to maxHanLoan readings through the transcription table (loanHanTable), the
// likeliest first: 贝拉克·奥巴马 -> "belak obama", "barak obama" ...;
// 唐纳德·特朗普 -> "donad tramp"; 弗拉基米尔·普京 -> "flakimir pujin".
// Every dotted name is read so, other names of more than 4 characters, or
// of 4 in two words. See hanLoanWord for the rules. The readings are close
// to the Latin spelling but seldom equal to it (Donald is 唐纳德 "donad"):
// a matcher needs its ordinary spelling tolerance for them (LoanReadings).
func hanLoanVariants(s string) []string {
	words, n, ok := hanWords(s)
	if !ok {
		return nil
	}
	if !hanDotted(s) && (n <= 3 || (len(words) == 1 && n <= 4)) || n < 2 {
		return nil
	}
	var joined []string
	for _, w := range words {
		var f folder
		for _, r := range w {
			if !firstPinyin(&f, r) {
				return nil
			}
		}
		joined = append(joined, strings.ReplaceAll(f.result(), " ", ""))
	}
	out := []string{strings.Join(joined, " ")}
	russian := false
	for _, w := range words {
		russian = russian || russianEnding(w)
	}
	per := make([][]loanReading, len(words))
	for i, w := range words {
		per[i] = hanLoanWord(w, russian)
		if len(per[i]) == 0 {
			return out
		}
	}
	return appendUnique(out, combineLoanWords(per, maxHanLoan)...)
}

// hanDotted reports whether s has the middle dot that separates the parts
// of a foreign name transcribed in Chinese (乔·拜登); Chinese, Korean and
// Japanese names written in Han characters do not use it.
func hanDotted(s string) bool {
	return strings.ContainsAny(s, "\u00B7\u2027\u2022")
}

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

// maxHanLoan is the number of table readings of a transcribed name.
const maxHanLoan = 4

// loanReading is one reading of a word with its cost (0 for the likeliest).
type loanReading struct {
	s    string
	cost float64
}

// russianEnding reports whether a transcribed word has an ending of the
// Russian table: -ov/-ev (夫 after o or e), -ova (娃), -sky (斯基, 茨基), -vich (维奇),
// -enko (科 after 申, 连, 琴).
func russianEnding(w []rune) bool {
	n := len(w)
	if n < 2 {
		return false
	}
	switch w[n-1] {
	case '夫':
		// -ov, -ev (诺夫 nov, 耶夫 yev, 科夫 kov), not Joseph, Adolf (瑟夫, 道夫)
		return strings.ContainsRune("诺諾罗羅洛耶科托莫列乔喬切采戈多索佐博波沃霍涅韦韋杰傑谢謝", w[n-2])
	case '娃':
		return true
	case '基':
		return w[n-2] == '斯' || w[n-2] == '茨'
	case '奇':
		return w[n-2] == '维' || w[n-2] == '維'
	case '科':
		return strings.ContainsRune("申连連琴", w[n-2])
	}
	return false
}

// loanOptions returns the table readings of a Han character, or one made
// from its pinyin (final ng read n, x sh, q ch, zh j, c ts; ao, ou o; ei
// e), or nil.
func loanOptions(r rune) []string {
	loanHanOnce.Do(loadLoanHan)
	if o, ok := loanHanMap[r]; ok {
		return o
	}
	p := pinyinOf(r)
	if len(p) == 0 {
		return nil
	}
	py := p[0]
	for _, rp := range [...][2]string{{"zh", "j"}, {"x", "sh"}, {"q", "ch"}, {"c", "ts"}} {
		if strings.HasPrefix(py, rp[0]) {
			py = rp[1] + py[len(rp[0]):]
			break
		}
	}
	py = strings.TrimSuffix(py, "g") // ang eng ing ong -> an en in on
	for _, rp := range [...][2]string{{"ao", "o"}, {"ou", "o"}, {"ei", "e"}, {"ian", "ian"}} {
		py = strings.Replace(py, rp[0], rp[1], 1)
	}
	return []string{py}
}

// hanLoanWord reads one word of a transcribed name, character by character
// through loanOptions, and returns its likeliest readings (at most 4, the
// cheapest first). A reading costs nothing when every character takes its
// first sound; others cost more. Context changes the costs:
//   - a vowel marked droppable (pu~) is dropped at the end of the word and
//     before l or r (普京 "pujin" but 特朗普 "tranp");
//   - after t, d (a consonant alone) an l/r character reads r (特朗 "tr");
//   - 尔 (r or l) reads l after k and g (默克尔 "merkl");
//   - readings marked @ (the Russian table) are preferred in names with a
//     Russian ending, else dearer than the others;
//   - a word starting with a consonant alone gets an e (恩 "en").
//
// Then n before b, p, m is read m (特朗普 "tramp", 詹姆斯 "jams") and a
// doubled letter is written once (唐纳德 "donad").
func hanLoanWord(w []rune, russian bool) []loanReading {
	const beam = 8
	type state struct {
		b    string
		cost float64
	}
	states := []state{{}}
	for i, r := range w {
		opts := loanOptions(r)
		if len(opts) == 0 {
			return nil
		}
		last := i == len(w)-1
		nextLR := false
		if !last {
			if no := loanOptions(w[i+1]); len(no) > 0 && (no[0][0] == 'l' || no[0][0] == 'r') {
				nextLR = true
			}
		}
		type cand struct {
			s    string
			cost float64
		}
		var cands []cand
		hasRu, hasEnd := false, false
		for _, o := range opts {
			hasRu = hasRu || strings.HasSuffix(o, "@")
			hasEnd = hasEnd || strings.HasSuffix(o, "$")
		}
		for j, o := range opts {
			c := 0.0
			if j > 0 {
				c = 1 + 0.2*float64(j-1)
				if Phonetic(strings.TrimRight(o, "~@$")) == Phonetic(strings.TrimRight(opts[0], "~@$")) {
					// another vowel, or v for w, matters less to the matcher than another consonant
					c += 0.3
				}
			}
			if strings.HasSuffix(o, "$") {
				if !last || i == 0 {
					continue
				}
				cands = append(cands, cand{o[:len(o)-1], 0})
				continue
			} else if hasEnd && last && i > 0 {
				c++
			}
			if strings.HasSuffix(o, "@") {
				o = o[:len(o)-1]
				if russian {
					c = 0
				} else {
					c = 1.5
				}
			} else if russian && hasRu && j == 0 {
				c = 1
			}
			if strings.HasSuffix(o, "~") {
				o = o[:len(o)-1]
				bare := o[:len(o)-1]
				if i > 0 && last || nextLR {
					cands = append(cands, cand{bare, c}, cand{o, c + 1.5})
				} else {
					cands = append(cands, cand{o, c}, cand{bare, c + 2})
				}
				continue
			}
			cands = append(cands, cand{o, c})
		}
		var next []state
		for _, st := range states {
			for _, cd := range cands {
				frag, cost := cd.s, st.cost+cd.cost
				if i == 0 && len(w) > 1 && !hasVowelByte(frag) && (frag == "n" || frag == "r" || frag == "l" || frag == "m") {
					frag = "e" + frag
				}
				if p := st.b; p != "" && frag != "" {
					pl := p[len(p)-1]
					f0 := frag[0]
					afterStop := pl == 't' || pl == 'd' // 特, 德: no syllable ends in t or d
					switch {
					case afterStop && f0 == 'r':
						cost = st.cost + cd.cost - float64(min(1, int(cd.cost)))
					case afterStop && f0 == 'l':
						cost += 1
					}
					if (frag == "l" || frag == "r") && (pl == 'k' || pl == 'g') {
						if frag == "l" {
							cost = st.cost
						} else {
							cost = st.cost + 1
						}
					}
				}
				next = append(next, state{st.b + frag, cost})
			}
		}
		slices.SortStableFunc(next, func(a, b state) int { return cmp.Compare(a.cost, b.cost) })
		if len(next) > beam {
			next = next[:beam]
		}
		states = next
	}
	var out []loanReading
	for _, st := range states {
		s := loanPolish(st.b)
		if s == "" || slices.ContainsFunc(out, func(r loanReading) bool { return r.s == s }) {
			continue
		}
		out = append(out, loanReading{s, st.cost})
		if len(out) == 4 {
			break
		}
	}
	return out
}

func hasVowelByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			return true
		}
	}
	return false
}

// loanPolish reads n as m before b, p and m, and writes doubled letters once.
func loanPolish(s string) string {
	b := []byte(s)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == 'n' && (b[i+1] == 'b' || b[i+1] == 'p' || b[i+1] == 'm') {
			b[i] = 'm'
		}
	}
	out := b[:0]
	for i, c := range b {
		if i > 0 && c == b[i-1] {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// combineLoanWords joins the readings of the words of a name into at most
// limit names: the cheapest combination first, then, of the cheapest
// remaining, the one with readings of words not used yet (changes in the
// earlier words first on a tie), so that each word's alternatives get a
// chance.
func combineLoanWords(per [][]loanReading, limit int) []string {
	type combo struct {
		idx  []int
		cost float64
	}
	combos := []combo{{}}
	for _, rs := range per {
		var next []combo
		for _, c := range combos {
			for j, r := range rs {
				idx := append(slices.Clone(c.idx), j)
				next = append(next, combo{idx, c.cost + r.cost})
			}
		}
		slices.SortStableFunc(next, func(a, b combo) int { return cmp.Compare(a.cost, b.cost) })
		if len(next) > 4*limit {
			next = next[:4*limit]
		}
		combos = next
	}
	used := make([]map[int]bool, len(per))
	for i := range used {
		used[i] = map[int]bool{}
	}
	var out []string
	for len(out) < limit && len(combos) > 0 {
		best, bestKey := -1, 0.0
		for k, c := range combos {
			novel := 0
			for i, j := range c.idx {
				if !used[i][j] {
					novel++
				}
			}
			key := c.cost - 0.5*float64(min(novel, 1))
			if best < 0 || key < bestKey-1e-9 || key < bestKey+1e-9 && earlierChange(c.idx, combos[best].idx) {
				best, bestKey = k, key
			}
		}
		c := combos[best]
		combos = slices.Delete(combos, best, best+1)
		parts := make([]string, len(c.idx))
		for i, j := range c.idx {
			parts[i] = per[i][j].s
			used[i][j] = true
		}
		out = appendUnique(out, strings.Join(parts, " "))
	}
	return out
}

// earlierChange reports whether a changes an earlier word than b.
func earlierChange(a, b []int) bool {
	for i := range a {
		if (a[i] != 0) != (b[i] != 0) {
			return a[i] != 0
		}
	}
	return false
}

// hangulLoan romanises a Hangul word as a transcription of a foreign name:
// the epenthetic vowel ㅡ (eu) dropped after a consonant when no final
// consonant follows it in the syllable, ㄹ read l (ㄹㄹ one l), ㅓ o,
// ㅐ e, final ㅅ t, ㅍ p, and the initial consonants at their plain values
// (블라디미르 -> "bladimir", 푸틴 -> "putin").
func hangulLoan(w string, v bool) string {
	var b []byte
	prevT := -1
	rs := []rune(w)
	for i, r := range rs {
		if r < 0xAC00 || r > 0xD7A3 {
			return ""
		}
		idx := int(r - 0xAC00)
		l, vw, t := idx/(21*28), (idx/28)%21, idx%28
		init := hangulInitials[l]
		switch l {
		case 5: // ㄹ
			init = "l"
			if prevT == 8 {
				init = "" // ㄹㄹ: one l, already written
			} else if len(b) > 0 && (isVowel(b[len(b)-1]) || prevT == 0) {
				init = "r" // between vowels, and in a cluster (트러 tr)
			}
		case 1:
			init = "k"
		case 4:
			init = "t"
		case 8:
			init = "p"
		case 10:
			init = "s"
		case 13:
			init = "j"
		case 7:
			if v {
				init = "v"
			}
		}
		vs := hangulVowels[vw]
		switch vs {
		case "eo":
			vs = "o"
		case "ae":
			vs = "e"
		case "eu":
			if l != 11 { // not after the silent ㅇ: an epenthetic vowel
				vs = ""
			} else {
				vs = "u"
			}
		case "ui":
			vs = "i"
		case "wo":
			vs = "wo"
		}
		if vs == "i" && t == 0 && l == 14 && i == len(rs)-1 && i >= 2 {
			vs = "" // final 치: -ch (비치 -vich)
		}
		fin := hangulFinals[t]
		switch t {
		case 8: // ㄹ
			fin = "l"
			if i+1 < len(rs) {
				nidx := int(rs[i+1] - 0xAC00)
				if rs[i+1] >= 0xAC00 && rs[i+1] <= 0xD7A3 && nidx/(21*28) == 5 {
					fin = "l"
				}
			}
		case 19, 20: // ㅅ ㅆ
			fin = "t"
		}
		b = append(b, init...)
		b = append(b, vs...)
		b = append(b, fin...)
		prevT = t
	}
	return string(b)
}

// koreanLoanVariants returns the loan-word readings (ㅂ read b, and v) of
// a Hangul name that looks like a transcribed foreign name: a word of more
// than four syllables, or a syllable with the epenthetic vowel ㅡ after a
// consonant and no final (르 드 트 프 스 크 브 ...), rare in Korean names.
func koreanLoanVariants(s string) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return nil
	}
	loan := false
	for _, w := range words {
		n := 0
		for _, r := range w {
			n++
			if r >= 0xAC00 && r <= 0xD7A3 {
				idx := int(r - 0xAC00)
				if (idx/28)%21 == 18 && idx%28 == 0 && idx/(21*28) != 11 {
					loan = true
				}
			}
		}
		if n > 4 {
			loan = true
		}
	}
	if !loan {
		return nil
	}
	var out []string
	for _, v := range []bool{false, true} {
		var parts []string
		for _, w := range words {
			p := hangulLoan(w, v)
			if p == "" {
				return out
			}
			parts = append(parts, p)
		}
		out = appendUnique(out, Fold(strings.Join(parts, " ")))
	}
	return out
}

// ---- Greek, Hebrew, Indic, Myanmar ----

// greekEndings drops the nominative endings of Greek names from each folded
// word of five letters or more: -os, -as, -is, -es, -ou (Αλέξανδρος ->
// "alexandr", Γιώργος -> "giorg", Παπαδόπουλος -> "papadopoul"), and -aios.
func greekEndings(base string) []string {
	ws := strings.Fields(base)
	changed := false
	for i, w := range ws {
		if len(w) < 5 {
			continue
		}
		for _, suf := range [...]string{"aios", "os", "as", "is", "es", "ou"} {
			if strings.HasSuffix(w, suf) {
				ws[i] = w[:len(w)-len(suf)]
				changed = true
				break
			}
		}
	}
	if !changed {
		return nil
	}
	return []string{strings.Join(ws, " ")}
}

// hebrewVariants reads the vowel letters ו and י inside words as consonants
// (v, y) and ו as o: דוד -> "dvd", "dod"; Fold reads them as vowels (u, i).
func hebrewVariants(s string) []string {
	base := Fold(s)
	var out []string
	for _, v := range []string{hebrewConsonantal(s), strings.ReplaceAll(base, "u", "o")} {
		if v != "" && v != base {
			out = appendUnique(out, v)
		}
	}
	return out
}

// hebrewConsonantal folds Hebrew with ו as v and י as y everywhere.
func hebrewConsonantal(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'ו':
			b.WriteString("v")
		case 'י':
			b.WriteString("y")
		case 'ה':
			b.WriteString("ה")
		default:
			if scriptOf(r) == scHebr {
				b.WriteRune(r)
			} else if r == ' ' || scriptOf(r) == scNone {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		}
	}
	return Fold(b.String())
}

// bhToV reads bh as v at the start of a word before a consonant or vowel, as
// Hindi and Bengali transcribe a foreign v (भ्लादिमिर -> "vladimir").
func bhToV(base string) string {
	ws := strings.Fields(base)
	for i, w := range ws {
		if strings.HasPrefix(w, "bh") {
			ws[i] = "v" + w[2:]
		}
	}
	return strings.Join(ws, " ")
}

// myanmarYaAsRa reads the y of a Myanmar name as r (ya -> ra), unless
// the name writes ရ too.
func myanmarYaAsRa(s, base string) string {
	if strings.ContainsRune(s, 'ရ') {
		return base // both letters present: the writer told them apart
	}
	return strings.ReplaceAll(base, "y", "r")
}

// myanmarSyllables writes a Myanmar name one syllable per word ("aung san
// su kyi"): a syllable starts at a consonant or independent vowel that is
// not stacked (after ္), not followed by asat, and not after a medial.
func myanmarSyllables(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && (r >= 0x1000 && r <= 0x102A) {
			prev := rs[i-1]
			stacked := prev == 0x1039
			closing := i+1 < len(rs) && (rs[i+1] == 0x103A || rs[i+1] == 0x1039)
			if !stacked && !closing && prev >= 0x1000 && prev <= 0x109F {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
	}
	return Fold(b.String())
}

// hungarianVariant rewrites Hungarian spelling of a (often transcribed)
// name: gy d, ty t, ny n, sz s, cs ch, zs zh, s sh. Only for names with
// Hungarian accented vowels and at least one of those digraphs; "" otherwise.
func hungarianVariant(s, base string) string {
	if !strings.ContainsAny(s, "őűŐŰöüáéíóúÖÜÁÉÍÓÚ") {
		return ""
	}
	found := false
	for _, d := range [...]string{"gy", "ty", "ny", "sz", "cs", "zs"} {
		if strings.Contains(base, d) {
			found = true
			break
		}
	}
	if !found {
		return ""
	}
	b := make([]byte, 0, len(base)+4)
	for i := 0; i < len(base); i++ {
		c := base[i]
		var n byte
		if i+1 < len(base) {
			n = base[i+1]
		}
		switch {
		case (c == 'g' || c == 't' || c == 'n') && n == 'y':
			if c == 'g' {
				c = 'd'
			}
			b = append(b, c)
			i++
		case c == 's' && n == 'z':
			b = append(b, 's')
			i++
		case c == 'c' && n == 's':
			b = append(b, "ch"...)
			i++
		case c == 'z' && n == 's':
			b = append(b, "zh"...)
			i++
		case c == 's':
			b = append(b, "sh"...)
		default:
			b = append(b, c)
		}
	}
	if v := string(b); v != base {
		return v
	}
	return ""
}
