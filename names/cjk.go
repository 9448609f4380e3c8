package names

import (
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// ---- Chinese ----

// pinyinOf returns the toneless pinyin readings of a Han character (first is
// the most common), or nil.
func pinyinOf(r rune) []string {
	v, ok := pinyin.PinyinDict[int(r)]
	if !ok {
		return nil
	}
	parts := strings.Split(v, ",")
	out := parts[:0]
	for _, p := range parts {
		p = stripTones(p)
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// firstPinyin returns the toneless first reading without allocating a slice.
func firstPinyin(f *folder, r rune) bool {
	v, ok := pinyin.PinyinDict[int(r)]
	if !ok {
		return false
	}
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	for _, c := range v {
		f.byte(toneless(c))
	}
	return true
}

func toneless(c rune) byte {
	if c < 0x80 {
		return byte(c)
	}
	switch c {
	case 'ā', 'á', 'ǎ', 'à':
		return 'a'
	case 'ē', 'é', 'ě', 'è', 'ê', 'ế', 'ề', 'ễ', 'ể':
		return 'e'
	case 'ī', 'í', 'ǐ', 'ì':
		return 'i'
	case 'ō', 'ó', 'ǒ', 'ò':
		return 'o'
	case 'ū', 'ú', 'ǔ', 'ù', 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		return 'u' // lü -> lu: the common passport/press form
	case 'ń', 'ň', 'ǹ':
		return 'n'
	case 'ḿ':
		return 'm'
	}
	return ' '
}

func stripTones(s string) string {
	var f folder
	for _, c := range s {
		f.byte(toneless(c))
	}
	return f.result()
}

// han writes one toneless pinyin syllable per character, space separated:
// 习近平 -> "xi jin ping".
func han(f *folder, run string) {
	last := len(f.b)
	for _, r := range run {
		if r == 0x3005 || r == 0x3006 || r == 0x3007 { // 々 repeats the previous syllable
			if prev := strings.TrimSpace(string(f.b[last:])); prev != "" {
				f.sep()
				f.str(prev)
				f.sep()
			}
			continue
		}
		f.sep()
		last = len(f.b)
		if !firstPinyin(f, r) {
			uni(f, r)
		}
		f.sep()
	}
}

// compound (two-character) Chinese surnames.
var hanCompoundSurnames = map[string]bool{
	"欧阳": true, "歐陽": true, "司马": true, "司馬": true, "诸葛": true, "諸葛": true, "上官": true,
	"东方": true, "東方": true, "皇甫": true, "尉迟": true, "尉遲": true, "公孙": true, "公孫": true,
	"慕容": true, "令狐": true, "司徒": true, "夏侯": true, "长孙": true, "長孫": true, "宇文": true,
}

// HanVariants returns romanisations of a Chinese name: the Fold form (one
// syllable per character, "xi jin ping"), the press form with the given name
// joined ("xi jinping"), all joined ("xijinping"), and the same with the other
// dictionary readings of the surname character (surnames often use a rarer
// reading: 单 shan, 曾 zeng, 仇 qiu ...). Non-Han parts of s are folded as by
// Fold. Korean (Hanja) and Japanese (kanji) readings of the same characters
// are not produced: that needs per-character reading data this package does
// not ship.
func HanVariants(s string) []string {
	base := Fold(s)
	out := []string{base}
	rs := []rune(strings.TrimSpace(s))
	if len(rs) < 2 || len(rs) > 5 {
		return out
	}
	for _, r := range rs {
		if !isHan(r) {
			return out
		}
	}
	famLen := 1
	if len(rs) > 2 && hanCompoundSurnames[string(rs[:2])] {
		famLen = 2
	}
	joinRunes := func(rr []rune) string {
		var b strings.Builder
		for _, r := range rr {
			if p := pinyinOf(r); len(p) > 0 {
				b.WriteString(p[0])
			}
		}
		return b.String()
	}
	given := joinRunes(rs[famLen:])
	fams := [][]string{}
	if famLen == 1 {
		fams = append(fams, pinyinOf(rs[0]))
	} else {
		fams = append(fams, []string{joinRunes(rs[:2])})
	}
	for _, fam := range fams {
		for _, fm := range fam {
			out = appendUnique(out, fm+" "+given, fm+given)
			if famLen == 1 {
				parts := strings.Fields(base)
				if len(parts) == len(rs) {
					parts[0] = fm
					out = appendUnique(out, strings.Join(parts, " "))
				}
			}
		}
	}
	return out
}

func appendUnique(out []string, vs ...string) []string {
outer:
	for _, v := range vs {
		if v == "" {
			continue
		}
		for _, o := range out {
			if o == v {
				continue outer
			}
		}
		out = append(out, v)
	}
	return out
}

// ---- Korean ----

var (
	hangulInitials = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	hangulVowels   = [21]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	hangulFinals   = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

// hangul writes Revised Romanization. Words of up to three syllables (Korean
// personal names: 김정은) are written one syllable per token, space separated,
// like Chinese: "gim jeong eun". Longer words (transcribed foreign names:
// 블라디미르) are written joined: "beulladimireu". Final ㄹ + initial ㄹ is "ll".
func hangul(f *folder, run string) {
	n := utf8.RuneCountInString(run)
	split := n <= 3
	prevT := -1
	for _, r := range run {
		if r < 0xAC00 || r > 0xD7A3 {
			uni(f, r)
			prevT = -1
			continue
		}
		idx := int(r - 0xAC00)
		l, v, t := idx/(21*28), (idx/28)%21, idx%28
		if split {
			f.sep()
		}
		if l == 5 && prevT == 8 {
			f.byte('l')
		} else {
			f.str(hangulInitials[l])
		}
		f.str(hangulVowels[v])
		f.str(hangulFinals[t])
		prevT = t
	}
	if split {
		f.sep()
	}
}

var koreanSurnames = map[string][]string{
	"김": {"kim"}, "이": {"lee", "yi", "rhee", "ri"}, "리": {"ri", "lee"}, "박": {"park", "pak", "bak"},
	"최": {"choi", "choe"}, "정": {"jung", "chung", "jeong", "jong"}, "강": {"kang"}, "조": {"cho", "jo"},
	"윤": {"yoon", "yun"}, "장": {"jang", "chang"}, "임": {"lim", "im", "rim"}, "림": {"rim", "lim"},
	"한": {"han"}, "오": {"oh", "o"}, "서": {"seo", "suh"}, "신": {"shin", "sin"}, "권": {"kwon", "gwon"},
	"황": {"hwang"}, "안": {"ahn", "an"}, "송": {"song"}, "류": {"ryu", "yoo", "yu"}, "유": {"yoo", "yu", "you"},
	"전": {"jeon", "jun", "chun"}, "홍": {"hong"}, "고": {"ko", "go"}, "문": {"moon", "mun"}, "양": {"yang"},
	"손": {"son", "sohn"}, "배": {"bae", "pae"}, "백": {"baek", "paek", "paik"}, "허": {"heo", "hur", "huh"},
	"노": {"noh", "roh", "no"}, "로": {"ro", "roh"}, "남": {"nam"}, "심": {"shim", "sim"}, "하": {"ha"},
	"곽": {"kwak"}, "성": {"sung", "seong"}, "차": {"cha"}, "주": {"joo", "ju", "chu"}, "우": {"woo", "u"},
	"구": {"koo", "ku", "gu"}, "민": {"min"}, "진": {"jin", "chin"}, "나": {"na", "ra"}, "라": {"ra", "na"},
	"지": {"ji", "chi"}, "엄": {"eom", "um"}, "채": {"chae"}, "원": {"won"}, "천": {"cheon", "chun"},
	"방": {"bang", "pang"}, "공": {"kong", "gong"}, "현": {"hyun", "hyeon"}, "함": {"ham"}, "변": {"byun", "byeon"},
	"염": {"yeom", "yum"}, "여": {"yeo", "yuh"}, "추": {"choo", "chu"}, "도": {"do", "doh"}, "소": {"so"},
	"석": {"seok", "suk"}, "선": {"sun", "seon"}, "설": {"seol", "sul"}, "마": {"ma"}, "길": {"gil", "kil"},
	"연": {"yeon", "yun"}, "위": {"wi", "wee"}, "표": {"pyo"}, "명": {"myung", "myeong"}, "기": {"ki", "gi"},
	"반": {"ban", "pan"}, "왕": {"wang"}, "금": {"geum", "keum"}, "옥": {"ok"}, "육": {"yuk"}, "인": {"in"},
	"맹": {"maeng"}, "제": {"je"}, "모": {"mo"}, "탁": {"tak"}, "국": {"kook", "guk"}, "태": {"tae"},
	"남궁": {"namgoong", "namgung"}, "황보": {"hwangbo"}, "제갈": {"jegal"}, "선우": {"sunwoo", "seonu"},
	"독고": {"dokgo"}, "사공": {"sagong"}, "서문": {"seomun"},
}

// popularSyllable renders one syllable McCune-Reischauer-like without
// diacritics: eo -> o, eu -> u (style 1) or eo -> u, eu -> u (style 2, as in
// "sung", "jun"); initials as in RR.
func popularSyllable(r rune, style int) string {
	idx := int(r - 0xAC00)
	l, v, t := idx/(21*28), (idx/28)%21, idx%28
	vs := hangulVowels[v]
	if style == 1 {
		vs = strings.ReplaceAll(vs, "eo", "o")
	} else {
		vs = strings.ReplaceAll(vs, "eo", "u")
	}
	vs = strings.ReplaceAll(vs, "eu", "u")
	return hangulInitials[l] + vs + hangulFinals[t]
}

// KoreanVariants returns romanisations of a Korean (Hangul) name: the Fold
// form (Revised Romanization, "gim jeong eun"), then popular forms that use
// the customary spelling of the surname (김 Kim, 이 Lee/Yi/Rhee, 박 Park/Pak,
// ...) and McCune-Reischauer-like given-name syllables (eo -> o, eu -> u:
// "kim jong un"; and eo -> u: "kim jung un"). The surname is the first
// syllable (or a known two-syllable surname) of the first word when that word
// has 2 to 4 syllables. Non-Hangul input gives just [Fold(s)].
func KoreanVariants(s string) []string {
	base := Fold(s)
	out := []string{base}
	words := strings.Fields(s)
	if len(words) == 0 {
		return out
	}
	if loan := koreanLoanVariants(s); len(loan) > 0 {
		// a transcribed foreign name: its loan-word readings, no surnames
		return appendUnique(out, loan...)
	}
	var syl [][]rune
	for _, w := range words {
		rs := []rune(w)
		for _, r := range rs {
			if r < 0xAC00 || r > 0xD7A3 {
				return out
			}
		}
		syl = append(syl, rs)
	}
	first := syl[0]
	famLen := 0
	switch {
	case len(first) == 4 && koreanSurnames[string(first[:2])] != nil:
		famLen = 2
	case len(first) >= 2 && len(first) <= 4:
		famLen = 1
	case len(first) == 1 && len(syl) > 1:
		famLen = 1
	}
	if famLen == 0 {
		return out
	}
	fam := string(first[:famLen])
	fams := koreanSurnames[fam]
	var rest []rune
	rest = append(rest, first[famLen:]...)
	for style := 1; style <= 2; style++ {
		var given []string
		for _, r := range rest {
			given = append(given, popularSyllable(r, style))
		}
		for _, w := range syl[1:] {
			for _, r := range w {
				given = append(given, popularSyllable(r, style))
			}
		}
		g := strings.Join(given, " ")
		for _, fm := range fams {
			out = appendUnique(out, strings.TrimSpace(fm+" "+g))
		}
		var famPop []string
		for _, r := range first[:famLen] {
			famPop = append(famPop, popularSyllable(r, style))
		}
		out = appendUnique(out, strings.TrimSpace(strings.Join(famPop, "")+" "+g))
	}
	return out
}

// koreanSurnameSpellings holds the Latin spellings of koreanSurnames.
var koreanSurnameSpellings = func() map[string]bool {
	m := map[string]bool{}
	for _, ss := range koreanSurnames {
		for _, s := range ss {
			m[s] = true
		}
	}
	return m
}()

// IsKoreanSurname reports whether a folded Latin word is a customary
// spelling of a common Korean surname ("kim", "ri", "pak", "choe").
func IsKoreanSurname(w string) bool { return koreanSurnameSpellings[w] }
