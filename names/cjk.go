package names

import (
	"strings"
	"sync"
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
	for i, r := range rs {
		if !isHan(r) {
			return out
		}
		if r == 0x3005 && i > 0 { // 々 repeats the previous character
			rs[i] = rs[i-1]
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
	if given == "" {
		return out // no reading of the given name: nothing to add
	}
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

// ---- Chinese transcriptions of foreign names ----

// loanHanTable reverses the Xinhua tables for transcribing foreign names
// (English, Russian, German, French, Spanish, Arabic ...) into Chinese: each
// line gives a character (simplified and traditional forms together) and the
// Latin sounds it stands for, the usual one first. A reading ending in ~
// has an added vowel that is dropped at the end of a word and before l or r
// (普 pu~: 普京 "pujin", 特朗普 "tranp"; 布 bu~: 布什 "bush", 布莱尔
// "bler"). A reading ending in @ is the one of the Russian table, preferred
// in names with a Russian ending (夫, 娃, 斯基, 维奇, 科 ...): 杰 je, de@
// (梅德韦杰夫 "medvedev"). Readings that end in a consonant stand for
// that consonant alone (克 k, 斯 s, 尔 r or l).
const loanHanTable = `
阿 a
埃 e ai
艾 e ai a
爱愛 ai e
伊 i
奥奧 o
欧歐 o
乌烏 u
厄 e
恩 n
尔爾 r l
安 an
昂 an
因 in
英 in
翁 on un
尤 yu u
约約 jo yo
耶 ye e
亚亞 ya a
娅婭 ya
雅 ya ja
扬揚 yan
延 yen
叶葉 ye e
于於 yu
优優 yu
永 yon
巴 ba
贝貝 be ba
比 bi
博 bo
布 bu~
拜 bai bi
鲍鮑 bo
班 ban
本 ben bin
宾賓 bin
邦 bon ban
伯 ber bo
别別 be
彼 pe pi
波 bo po
芭 ba
柏 ber bo
保 pau po
宝寶 bao bo
卜 b bu
帕 pa
佩 pe
皮 pi
珀 per po
派 pai pi
潘 pan
彭 pen
平 pin
庞龐 pon pan
蓬 pon
普 pu~
浦 pu
朴樸 pu po
达達 da
德 d de
迪 di de
多 do
杜 du
戴 dai de
道 do
丹 dan den
登 den don
丁 din
东東 don
敦 dun ton
顿頓 ton dun
得 d de
黛 dai di
蒂 ti di
杰傑 je ge de@
代 dai de
塔 ta
特 t te
托 to
图圖 tu to
泰 tai te
陶 to
坦 tan ten
滕 ten
廷 tin
汀 tin
通 ton
汤湯 tom ton
唐 don ton
提 ti
加 ga
盖蓋 ge gai
吉 gi ji
戈 go
古 gu ko
格 g ge
甘 gan
根 gen
金 kin gin
贡貢 gon
冈岡 gan gon
高 go
哥 go
各 go ge
圭 gui
瓜 gua
卡 ka
凯凱 ke kai
基 ki ji
科 ko
库庫 ku
克 k
坎 kan
肯 ken
孔 kon
康 kon kan
奎 kwi
寇 ko
柯 ko ke
瓦 va wa
维維 vi wi ve
沃 vo wo wa
武 vu wu
夫 f v@
文 win wen ven
旺 van wan
韦韋 we ve@
威 wi we
温溫 win wen
万萬 van wan
伍 wu
弗 f v
薇 vi wi
娃 va
法 fa
费費 fe fi
菲 fi
福 fo fu
富 fu
芬 fin fen
范 fan van
丰豐 fon fen
斐 fe fi
扎紮 za
泽澤 ze se
齐齊 zi ti
佐 zo
祖 zu
兹茲 z s
察 cha tsa
策 tse
茨 ts z
措 tso
萨薩 sa
塞 se sai
西 si shi
索 so
苏蘇 su so
斯 s
桑 san son
森 son sen
辛 sin
松 son sun
孙孫 sun son
逊遜 son sun
赛賽 sai se
沙 sha sa
莎 sha sa
谢謝 she se@
希 hi shi
肖 sho sha
舒 shu su
什 sh
尚 shan
申 shen shin
欣 shin hin
雄 shon
绍紹 sho
朔 sho
施 sh shi
舍 she sha
撒 sa
查 cha
切 che
奇 chi~
契 chi
乔喬 jo cho@
治 j ge
朱 ju
丘 chu chi
楚 chu
贾賈 ja
季 ji di@
詹 jan
琼瓊 jon
久 ju
江 jan
焦 jo
日 zh@ ri
热熱 re je
让讓 jan
若 jo ro
哈 ha kha
赫 h kh
霍 ho kho
胡 hu ju
海 hai he
豪 ho
汉漢 han
亨 hen
洪 hon
侯 hu ho
黑 he
翰 han
罕 han
汗 han khan
合 he ha
马馬 ma
玛瑪 ma
梅 me mai
米 mi
莫 mo
穆 mu mo
默 mer mo
姆 m
迈邁 mai me mi
毛 mo
曼 man
门門 men
明 min
蒙 mon mun
缪繆 mu
麦麥 mai mac
密 mi
敏 min
摩 mo
牟 mu
茂 mo
买買 mai me
纳納 na
内內 ne
尼 ni
诺諾 no
努 nu
奈 nai ne
瑙 nau no
南 nan
嫩 nen
宁寧 nin
农農 non
娜 na
妮 ni
涅 ne
聂聶 ne
纽紐 nu
讷訥 ne
拉 la ra
莱萊 le lai
利 li ri
洛 lo ro
卢盧 lu ru
兰蘭 lan ran
伦倫 len ren lun
林 lin rin
隆 lon ron
劳勞 lo rau
勒 l le ler$
雷 re le
里裡裏 ri li
罗羅 ro lo
鲁魯 ru lu
丽麗 li ri
莉 li ri
琳 lin rin
列 le re
廖 lio
柳 lu
龙龍 lon ron
露 lu ru
蕾 re le
璐 lu
历歷 li le
娄婁 lo lu
黎 li le
乐樂 le lo
朗 ran ron lan
瑞 ri rui re
容 ron run
荣榮 ron
茹 ru
芮 rui
丝絲 s si
珊 shan san
茜 si ci
婷 tin
晓曉 sho
京 jin kin
廉 liam lian
瑟 se
任 ren zhin@
吕呂 lu
易 i
路 lu
何 ho jo
迭 de
洁潔 je
珍 jen
琪 ki chi
卓 jo
史 s sh
`

var (
	loanHanOnce sync.Once
	loanHanMap  map[rune][]string
)

func loadLoanHan() {
	loanHanMap = map[rune][]string{}
	for line := range strings.SplitSeq(loanHanTable, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		for _, r := range f[0] {
			if _, dup := loanHanMap[r]; !dup {
				loanHanMap[r] = f[1:]
			}
		}
	}
}
