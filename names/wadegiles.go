package names

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Wade-Giles to pinyin.
//
// The syllable table is not written out by hand: it is derived from the
// table of pinyin syllables below by the standard pinyin -> Wade-Giles
// rules (pinyinToWadeGiles), which are simpler and have no ambiguity, and
// then inverted. Inside this file a Wade-Giles syllable is written in a
// key form: lower case, the aspiration mark as ASCII ', ü as v, ê as E and
// ŭ as U (Wade-Giles writes ê only in the finals ê ên êng êrh and ŭ only in
// tzŭ tz'ŭ ssŭ szŭ, so a McCune-Reischauer hŭi or Vietnamese Lê Văn does
// not pass for Wade-Giles).
//
// Initials: p b, p' p, t d, t' t, k g, k' k, ch j / ch' q (before i and
// ü), ch zh / ch' ch (elsewhere), hs x, j r, ts tz z, ts' tz' c, s ss sz s;
// m f n l h sh the same.
// Finals: -ih -i (chih zhi, shih shi, jih ri), tzu zi, tz'u ci, ssu/szu si,
// ê e (after k k' h written o: ko ge, ho he), -o -uo after t n l ch j ts s
// (to duo, lo luo, cho zhuo, tso zuo), -ung -ong, -iung -iong, -ieh -ie,
// -ien -ian, -uei -ui after k k', ü u after ch hs y (chü ju, hsüeh xue,
// yüan yuan), erh er, i yi, yeh ye, yen yan, yu you, yü yu, yung yong.
//
// Forms with marks dropped (usual on passports and lists) are read so:
// without ê or ŭ the same; without the apostrophe as the unaspirated
// syllable (tse ze, tung dong, chin jin, chen zhen, ping bing); without the
// umlaut as the syllable spelt so when there is one (chu zhu, chuan zhuan,
// yu you, lu lu), else as the umlaut syllable (hsu xu, chueh jue, yuan
// yuan). Also accepted: tz for ts in any syllable, szŭ for ssŭ, -ui and
// -uei in place of each other, kê k'ê hê for ko k'o ho, and yi for i.

// pinyinSyllables lists the toneless pinyin syllables (ü written v). Rare
// interjections (m, n, ng, hm, hng, ê) and a few syllables of single rare
// characters are left out.
const pinyinSyllables = `
a ai an ang ao e ei en eng er o ou
yi ya yao yan yang ye yin ying yo yong you yu yuan yue yun
wu wa wai wan wang wei wen weng wo
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
fa fan fang fei fen feng fo fou fu
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
sa sai san sang sao se sen seng si song sou su suan sui sun suo
`

// wgZeroInitial gives the Wade-Giles spelling of the pinyin syllables
// without a consonant initial (y and w syllables included).
var wgZeroInitial = map[string]string{
	"a": "a", "ai": "ai", "an": "an", "ang": "ang", "ao": "ao", "e": "E", "ei": "ei",
	"en": "En", "eng": "Eng", "er": "Erh", "o": "o", "ou": "ou",
	"yi": "i", "ya": "ya", "yao": "yao", "yan": "yen", "yang": "yang", "ye": "yeh",
	"yin": "yin", "ying": "ying", "yo": "yo", "yong": "yung", "you": "yu",
	"yu": "yv", "yuan": "yvan", "yue": "yveh", "yun": "yvn",
	"wu": "wu", "wa": "wa", "wai": "wai", "wan": "wan", "wang": "wang", "wei": "wei",
	"wen": "wEn", "weng": "wEng", "wo": "wo",
}

// wgInitial gives the Wade-Giles initial of each pinyin initial.
var wgInitial = map[string]string{
	"b": "p", "p": "p'", "m": "m", "f": "f", "d": "t", "t": "t'", "n": "n", "l": "l",
	"g": "k", "k": "k'", "h": "h", "j": "ch", "q": "ch'", "x": "hs",
	"zh": "ch", "ch": "ch'", "sh": "sh", "r": "j", "z": "ts", "c": "ts'", "s": "s",
}

// wgSkip: pinyin syllables whose Wade-Giles spelling is that of a common
// syllable (lo is also luo's spelling).
var wgSkip = map[string]bool{"lo": true}

// pinyinToWadeGiles returns the standard Wade-Giles key form of a pinyin
// syllable of the table.
func pinyinToWadeGiles(py string) string {
	if w, ok := wgZeroInitial[py]; ok {
		return w
	}
	switch py { // the apical vowel
	case "zi":
		return "tzU"
	case "ci":
		return "tz'U"
	case "si":
		return "ssU"
	case "zhi":
		return "chih"
	case "chi":
		return "ch'ih"
	case "shi":
		return "shih"
	case "ri":
		return "jih"
	}
	ini := py[:1]
	if len(py) > 1 && py[1] == 'h' {
		ini = py[:2]
	}
	fin := py[len(ini):]
	switch ini {
	case "j", "q", "x":
		switch fin {
		case "u", "ue", "uan", "un":
			fin = "v" + fin[1:]
		}
	}
	switch fin {
	case "e":
		fin = "E"
		if ini == "g" || ini == "k" || ini == "h" {
			fin = "o"
		}
	case "en", "eng":
		fin = "E" + fin[1:]
	case "ve": // üe, after j q x n l
		fin = "veh"
	case "ie":
		fin = "ieh"
	case "ian":
		fin = "ien"
	case "ong":
		fin = "ung"
	case "iong":
		fin = "iung"
	case "ui":
		if ini == "g" || ini == "k" {
			fin = "uei"
		}
	case "uo":
		switch ini {
		case "g", "k", "h", "sh":
		default:
			fin = "o"
		}
	}
	return wgInitial[ini] + fin
}

var (
	wgOnce   sync.Once
	wgTable  map[string]string   // key form -> pinyin (ü written u)
	pySet    map[string]struct{} // pinyin syllables, ü written v
	wgMaxLen int                 // longest key, in bytes
)

func loadWadeGiles() {
	pys := strings.Fields(pinyinSyllables)
	pySet = make(map[string]struct{}, len(pys))
	exact := make(map[string]string, len(pys))
	for _, py := range pys {
		pySet[py] = struct{}{}
		if wgSkip[py] {
			continue
		}
		exact[pinyinToWadeGiles(py)] = strings.ReplaceAll(py, "v", "u")
	}
	keys := make([]string, 0, len(exact))
	for k := range exact {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the order of the passes, not of the map, decides
	wgTable = make(map[string]string, 3*len(exact))
	for _, k := range keys {
		wgTable[k] = exact[k]
	}
	addForm := func(k, py string) {
		if _, ok := wgTable[k]; !ok {
			wgTable[k] = py
		}
	}
	// Marks dropped, in order of preference: ê and ŭ (no ambiguity), the
	// umlaut (the syllable spelt without it wins: chu zhu, not ju), the
	// apostrophe (the unaspirated syllable wins: tung dong, not tong),
	// then all. A key holds at most one of E, U and v.
	plain := strings.NewReplacer("E", "e", "U", "u").Replace
	noUmlaut := func(k string) string { return strings.ReplaceAll(k, "v", "u") }
	noApos := func(k string) string { return strings.ReplaceAll(k, "'", "") }
	all := func(k string) string { return noApos(noUmlaut(plain(k))) }
	for _, strip := range []func(string) string{plain, noUmlaut, noApos, all} {
		for _, k := range keys {
			addForm(strip(k), exact[k])
		}
	}
	// Spelling alternatives, never in place of a standard spelling: tz for
	// ts, -ui and -uei for each other, szŭ for ssŭ, kê k'ê hê for ko k'o
	// ho, yi for i.
	keys = keys[:0]
	for k := range wgTable {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		py := wgTable[k]
		if rest, ok := strings.CutPrefix(k, "ts"); ok {
			addForm("tz"+rest, py)
		}
		if stem, ok := strings.CutSuffix(k, "uei"); ok {
			addForm(stem+"ui", py)
		} else if stem, ok := strings.CutSuffix(k, "ui"); ok {
			addForm(stem+"uei", py)
		}
	}
	for _, k := range [][2]string{{"szU", "si"}, {"szu", "si"}, {"kE", "ge"}, {"ke", "ge"}, {"k'E", "ke"}, {"k'e", "ke"}, {"hE", "he"}, {"he", "he"}, {"yi", "yi"}} {
		addForm(k[0], k[1])
	}
	for k := range wgTable {
		wgMaxLen = max(wgMaxLen, len(k))
	}
}

// wgKey writes the key form of s (one syllable, or a word of joined
// syllables) into dst: letters lower-cased, the apostrophes ' ‘ ’ ` ʻ ʼ as
// ', ü as v, ê as E, ŭ and û as U (precomposed, or with a combining mark).
// ok is false when s holds anything else (a v, a digit, another accent) or
// does not fit dst.
func wgKey(dst []byte, s string) (n int, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		var out byte
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z' && c != 'v':
				out = c
			case c >= 'A' && c <= 'Z' && c != 'V':
				out = c + ('a' - 'A')
			case c == '\'' || c == '`':
				out = '\''
			default:
				return 0, false
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch r {
			case 'ü', 'Ü':
				out = 'v'
			case 'ê', 'Ê':
				out = 'E'
			case 'ŭ', 'Ŭ', 'û', 'Û':
				out = 'U'
			case '‘', '’', 'ʻ', 'ʼ':
				out = '\''
			case 0x0308: // combining diaeresis: u -> ü
				if n == 0 || dst[n-1] != 'u' {
					return 0, false
				}
				dst[n-1] = 'v'
				continue
			case 0x0302, 0x0306: // combining circumflex, breve: ê, ŭ, û
				switch {
				case n > 0 && dst[n-1] == 'e' && r == 0x0302:
					dst[n-1] = 'E'
				case n > 0 && dst[n-1] == 'u':
					dst[n-1] = 'U'
				default:
					return 0, false
				}
				continue
			default:
				return 0, false
			}
		}
		if n == len(dst) {
			return 0, false
		}
		dst[n] = out
		n++
	}
	return n, n > 0
}

// wgLookup returns the pinyin of a syllable in key form.
func wgLookup(k []byte) (string, bool) {
	py, ok := wgTable[string(k)]
	return py, ok
}

// wgIsPinyin reports whether a syllable in key form is also written so in
// pinyin (never with an apostrophe, which pinyin writes only before a, o, e,
// nor with ê or ŭ).
func wgIsPinyin(k []byte) bool {
	_, ok := pySet[string(k)]
	return ok
}

// WadeGilesSyllable converts one Wade-Giles syllable to toneless pinyin in
// lower-case ASCII (ü written u, as Fold does). The syllable may be in any
// case, carry its marks (the aspiration apostrophe as ' ‘ ’ ` ʻ or ʼ, ü, ê,
// ŭ) or not: without the apostrophe the unaspirated reading is given
// (tse -> ze, tung -> dong, chin -> jin), without the umlaut the reading of
// the syllable spelt so if there is one (chu -> zhu, yu -> you), else the
// umlaut's (hsu -> xu). ok is false when s is not a Wade-Giles syllable
// (including pinyin-only spellings such as "xi" or "zhong").
func WadeGilesSyllable(s string) (pinyin string, ok bool) {
	wgOnce.Do(loadWadeGiles)
	var buf [16]byte
	n, ok := wgKey(buf[:], s)
	if !ok {
		return "", false
	}
	return wgLookup(buf[:n])
}

// maxWGWord bounds the length in bytes of one word of joined syllables.
const maxWGWord = 48

// wgSegment converts one word of Wade-Giles syllables written together (no
// hyphens), in key form, and appends its pinyin to out. A single syllable
// is taken as it is; else the word is split into syllables, the longest
// first where there is a choice, and a syllable after the first may not
// begin with a vowel (pinyin would write an apostrophe, Wade-Giles a
// hyphen: "ian" is not i + an). evidence reports a syllable that is not
// also spelt so in pinyin; syllables counts them.
func wgSegment(out []byte, k []byte) (_ []byte, evidence bool, syllables int, ok bool) {
	if py, found := wgLookup(k); found {
		return append(out, py...), !wgIsPinyin(k), 1, true
	}
	n := len(k)
	if n > maxWGWord {
		return out, false, 0, false
	}
	// good[i]: k[i:] splits into syllables.
	var good [maxWGWord + 1]bool
	good[n] = true
	for i := n - 1; i >= 0; i-- {
		if i > 0 && (isVowel(k[i]) || k[i] == 'E') || k[i] == 'v' || k[i] == 'U' || k[i] == '\'' {
			continue
		}
		for l := 1; l <= wgMaxLen && i+l <= n; l++ {
			if good[i+l] {
				if _, found := wgTable[string(k[i:i+l])]; found {
					good[i] = true
					break
				}
			}
		}
	}
	if !good[0] {
		return out, false, 0, false
	}
	for i := 0; i < n; {
		for l := min(wgMaxLen, n-i); l >= 1; l-- {
			if !good[i+l] {
				continue
			}
			if py, found := wgTable[string(k[i:i+l])]; found {
				out = append(out, py...)
				if !wgIsPinyin(k[i : i+l]) {
					evidence = true
				}
				syllables++
				i += l
				break
			}
		}
	}
	return out, evidence, syllables, true
}

// PinyinFromWadeGiles converts a name written in Wade-Giles to pinyin:
// "Hsi Chin-ping" -> "xi jinping", "Ch'en Shui-pien" -> "chen shuibian",
// "Mao Tse-tung" -> "mao zedong". Words are separated by spaces (or commas);
// a word is syllables joined by hyphens, whose pinyin is written as one
// word, or syllables written together ("Chinping"). Each syllable is read
// as WadeGilesSyllable does. The result is lower-case ASCII letters, one
// space between words.
//
// ok is true only when every word is made of Wade-Giles syllables and the
// name shows it is Wade-Giles: a syllable that is not also a pinyin
// syllable (hsi, tse, tung, ch'en, chih, yeh, i, or one written with ê or
// ŭ ...), or a word of hyphen-joined syllables, which pinyin writes
// together (Li Teng-hui). Names whose syllables all read as pinyin too
// (Lin Piao, Li Peng) are thus left alone.
// A name has two words at least, and a word written without hyphens two
// syllables at most. Names in pinyin (Li Ming, Xi Jinping), English,
// Arabic or Korean names give ok false; the scan stops at the first word that is not Wade-Giles,
// without allocating.
func PinyinFromWadeGiles(name string) (string, bool) {
	var buf [96]byte
	out, words, evidence, ok := wadeGilesWords(buf[:0], name)
	if !ok || words < 2 || !evidence {
		// One word alone ("Tomo", "Chato") is too weak a sign of a Chinese
		// name: a surname and a given name at least.
		return "", false
	}
	return string(out), true
}

// PinyinOfWadeGilesPart converts a part of a name that PinyinFromWadeGiles
// reads as Wade-Giles (a surname "Chang", a given name "Hsueh Lung") the
// same way, without asking the part alone to show it is Wade-Giles.
func PinyinOfWadeGilesPart(part string) (string, bool) {
	out, words, _, ok := wadeGilesWords(nil, part)
	return string(out), ok && words > 0
}

// wadeGilesWords appends the pinyin of the words of name to out, reporting
// how many words there are and whether a syllable or a hyphen shows
// Wade-Giles.
func wadeGilesWords(out []byte, name string) (_ []byte, words int, evidence, ok bool) {
	wgOnce.Do(loadWadeGiles)
	var kbuf [maxWGWord]byte
	for i := 0; i < len(name); {
		// skip separators
		if c := name[i]; c == ' ' || c == '\t' || c == ',' {
			i++
			continue
		}
		j := i
		for j < len(name) && name[j] != ' ' && name[j] != '\t' && name[j] != ',' {
			j++
		}
		word := name[i:j]
		i = j
		if words > 0 {
			out = append(out, ' ')
		}
		words++
		parts := 0
		for {
			part, rest, hyphen := cutHyphen(word)
			n, ok := wgKey(kbuf[:], part)
			if !ok {
				return nil, 0, false, false
			}
			var ev bool
			var syl int
			out, ev, syl, ok = wgSegment(out, kbuf[:n])
			if !ok || syl > 2 || syl > 1 && (hyphen || parts > 0) {
				// A name word is at most two syllables written together
				// ("Chinping"); longer runs are other languages' words
				// that happen to split ("Maimaiti", "Chapito").
				return nil, 0, false, false
			}
			evidence = evidence || ev
			parts++
			if hyphen && rest == "" {
				return nil, 0, false, false // trailing hyphen
			}
			if !hyphen {
				break
			}
			word = rest
		}
		if parts > 1 {
			evidence = true
		}
	}
	return out, words, evidence, true
}

// cutHyphen splits s at its first hyphen (-, U+2010 or U+2011).
func cutHyphen(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '-':
			return s[:i], s[i+1:], true
		case s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x90 || s[i+2] == 0x91):
			return s[:i], s[i+3:], true
		}
	}
	return s, "", false
}
