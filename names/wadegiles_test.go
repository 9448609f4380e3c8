package names

import (
	"slices"
	"strings"
	"testing"
)

// TestWadeGilesSyllable checks syllables written as in the Wade-Giles
// charts (with ', ü, ê, ŭ), independently of the rules that build the table.
func TestWadeGilesSyllable(t *testing.T) {
	chart := []string{
		// p p' m f
		"pa ba", "pai bai", "pan ban", "pang bang", "pao bao", "pei bei", "pên ben", "pêng beng",
		"pi bi", "piao biao", "pieh bie", "pien bian", "pin bin", "ping bing", "po bo", "pu bu",
		"p'a pa", "p'ai pai", "p'ao pao", "p'ei pei", "p'ên pen", "p'êng peng", "p'i pi",
		"p'iao piao", "p'ieh pie", "p'ien pian", "p'in pin", "p'ing ping", "p'o po", "p'ou pou", "p'u pu",
		"ma ma", "mên men", "mêng meng", "mieh mie", "mien mian", "miu miu", "mo mo", "mou mou",
		"fa fa", "fên fen", "fêng feng", "fo fo", "fou fou", "fu fu",
		// t t' n l
		"ta da", "tê de", "tei dei", "têng deng", "ti di", "tiao diao", "tieh die", "tien dian",
		"ting ding", "tiu diu", "to duo", "tou dou", "tu du", "tuan duan", "tui dui", "tun dun", "tung dong",
		"t'a ta", "t'ê te", "t'êng teng", "t'i ti", "t'ieh tie", "t'ien tian", "t'ing ting",
		"t'o tuo", "t'ou tou", "t'uan tuan", "t'ui tui", "t'un tun", "t'ung tong",
		"na na", "nê ne", "nieh nie", "nien nian", "niang niang", "no nuo", "nung nong", "nü nu", "nüeh nue",
		"lê le", "lia lia", "lieh lie", "lien lian", "lo luo", "lu lu", "luan luan", "lun lun",
		"lung long", "lü lu", "lüeh lue",
		// k k' h
		"ka ga", "kai gai", "kan gan", "kang gang", "kao gao", "kei gei", "kên gen", "kêng geng",
		"ko ge", "kou gou", "ku gu", "kua gua", "kuai guai", "kuan guan", "kuang guang", "kuei gui",
		"kun gun", "kung gong", "kuo guo",
		"k'ai kai", "k'ên ken", "k'o ke", "k'ou kou", "k'uei kui", "k'ung kong", "k'uo kuo",
		"ho he", "hei hei", "hên hen", "hêng heng", "hou hou", "hui hui", "hung hong", "huo huo",
		// ch ch' before i and ü: j q
		"chi ji", "chia jia", "chiang jiang", "chiao jiao", "chieh jie", "chien jian", "chin jin",
		"ching jing", "chiu jiu", "chiung jiong", "chü ju", "chüan juan", "chüeh jue", "chün jun",
		"ch'i qi", "ch'ia qia", "ch'iang qiang", "ch'iao qiao", "ch'ieh qie", "ch'ien qian",
		"ch'in qin", "ch'ing qing", "ch'iu qiu", "ch'iung qiong", "ch'ü qu", "ch'üan quan",
		"ch'üeh que", "ch'ün qun",
		// ch ch' elsewhere: zh ch
		"cha zha", "chai zhai", "chan zhan", "chang zhang", "chao zhao", "chê zhe", "chei zhei",
		"chên zhen", "chêng zheng", "chih zhi", "cho zhuo", "chou zhou", "chu zhu", "chua zhua",
		"chuai zhuai", "chuan zhuan", "chuang zhuang", "chui zhui", "chun zhun", "chung zhong",
		"ch'a cha", "ch'ai chai", "ch'an chan", "ch'ang chang", "ch'ao chao", "ch'ê che",
		"ch'ên chen", "ch'êng cheng", "ch'ih chi", "ch'o chuo", "ch'ou chou", "ch'u chu",
		"ch'uai chuai", "ch'uan chuan", "ch'uang chuang", "ch'ui chui", "ch'un chun", "ch'ung chong",
		// hs sh j
		"hsi xi", "hsia xia", "hsiang xiang", "hsiao xiao", "hsieh xie", "hsien xian", "hsin xin",
		"hsing xing", "hsiu xiu", "hsiung xiong", "hsü xu", "hsüan xuan", "hsüeh xue", "hsün xun",
		"sha sha", "shê she", "shei shei", "shên shen", "shêng sheng", "shih shi", "shou shou",
		"shu shu", "shua shua", "shuai shuai", "shuang shuang", "shui shui", "shun shun", "shuo shuo",
		"jan ran", "jang rang", "jao rao", "jê re", "jên ren", "jêng reng", "jih ri", "jo ruo",
		"jou rou", "ju ru", "jua rua", "juan ruan", "jui rui", "jun run", "jung rong",
		// ts tz ts' tz' s ss sz
		"tsa za", "tsai zai", "tsan zan", "tsang zang", "tsao zao", "tsê ze", "tsei zei", "tsên zen",
		"tsêng zeng", "tso zuo", "tsou zou", "tsu zu", "tsuan zuan", "tsui zui", "tsun zun",
		"tsung zong", "tzŭ zi",
		"ts'a ca", "ts'ai cai", "ts'an can", "ts'ang cang", "ts'ao cao", "ts'ê ce", "ts'ên cen",
		"ts'êng ceng", "ts'o cuo", "ts'ou cou", "ts'u cu", "ts'uan cuan", "ts'ui cui", "ts'un cun",
		"ts'ung cong", "tz'ŭ ci",
		"sa sa", "sê se", "sên sen", "sêng seng", "so suo", "sou sou", "su su", "suan suan",
		"sui sui", "sun sun", "sung song", "ssŭ si", "szŭ si",
		// no initial
		"a a", "ai ai", "an an", "ang ang", "ao ao", "ê e", "ei ei", "ên en", "êng eng", "êrh er",
		"o o", "ou ou", "i yi", "ya ya", "yang yang", "yao yao", "yeh ye", "yen yan", "yin yin",
		"ying ying", "yo yo", "yu you", "yung yong", "yü yu", "yüan yuan", "yüeh yue", "yün yun",
		"wa wa", "wai wai", "wan wan", "wang wang", "wei wei", "wên wen", "wêng weng", "wo wo", "wu wu",
	}
	marksDropped := []string{
		// no apostrophe: the unaspirated reading
		"tse ze", "tung dong", "chin jin", "chen zhen", "ching jing", "chi ji", "chih zhi",
		"ping bing", "pien bian", "tai dai", "kuo guo", "kung gong", "tsai zai", "tsu zu", "tzu zi",
		"kuei gui", "cho zhuo", "to duo",
		// apostrophe kept, umlaut dropped
		"ch'u chu", "ch'uan chuan", "ch'un chun", "ch'ueh que",
		// no umlaut: the syllable spelt so, else the umlaut's
		"chu zhu", "chuan zhuan", "chun zhun", "chueh jue", "hsu xu", "hsuan xuan", "hsueh xue",
		"hsun xun", "yu you", "yuan yuan", "yueh yue", "yun yun", "lu lu", "nu nu", "lueh lue", "nueh nue",
		// no circumflex or breve
		"ten den", "teng deng", "chen zhen", "erh er", "en en", "wen wen", "tz'u ci", "ssu si", "szu si",
		// other spellings
		"tzung zong", "tz'ung cong", "tzeng zeng", "kui gui", "k'ui kui", "huei hui", "tuei dui",
		"shuei shui", "kê ge", "ke ge", "k'ê ke", "k'e ke", "hê he", "he he", "yi yi",
		// apostrophes, case, combining marks
		"ch’i qi", "ch‘i qi", "chʻi qi", "ch`i qi", "chʼi qi", "CH'ING qing", "Hsü xu", "HSÜEH xue",
		"hsu\u0308 xu", "te\u0302ng deng", "tzu\u0306 zi", "tzû zi",
	}
	for _, list := range [][]string{chart, marksDropped} {
		for _, c := range list {
			wg, want, _ := strings.Cut(c, " ")
			got, ok := WadeGilesSyllable(wg)
			if !ok || got != want {
				t.Errorf("WadeGilesSyllable(%q) = %q, %v; want %q", wg, got, ok, want)
			}
		}
	}
	for _, s := range []string{
		"", "'", "-", "x", "xi", "zhong", "qing", "bao", "de", "ri", "ren", "cao", "zhang", "shi",
		"ian", "kim", "khan", "ssi", "sheh", "p''a", "k'", "'a", "a'", "c'h", "ka'o", "m'a", "h'o",
		"lv", "chv", "hŭi", "sŭng", "lêi", "hsu\u0306", "chin ping", "chin-ping", "hsi1", "chü\u0308",
	} {
		if got, ok := WadeGilesSyllable(s); ok {
			t.Errorf("WadeGilesSyllable(%q) = %q, want not a syllable", s, got)
		}
	}
}

// TestWadeGilesTable checks the table built from the pinyin syllables: it
// covers every one of them (each has its own Wade-Giles spelling, which
// reads back) and every reading is a pinyin syllable.
func TestWadeGilesTable(t *testing.T) {
	wgOnce.Do(loadWadeGiles)
	if len(pySet) < 400 {
		t.Errorf("%d pinyin syllables", len(pySet))
	}
	seen := map[string]string{}
	for py := range pySet {
		if wgSkip[py] {
			continue
		}
		wg := pinyinToWadeGiles(py)
		if other, dup := seen[wg]; dup {
			t.Errorf("pinyin %q and %q are both Wade-Giles %q", py, other, wg)
		}
		seen[wg] = py
		if got := wgTable[wg]; got != strings.ReplaceAll(py, "v", "u") {
			t.Errorf("Wade-Giles %q (from %q) reads %q", wg, py, got)
		}
	}
	for wg, py := range wgTable {
		v := strings.Replace(py, "u", "v", 1)
		_, isPy := pySet[py]
		_, isPyV := pySet[v]
		if !isPy && !isPyV {
			t.Errorf("Wade-Giles %q reads %q, not a pinyin syllable", wg, py)
		}
		if len(wg) > wgMaxLen || strings.ContainsAny(wg, " -") {
			t.Errorf("bad key %q", wg)
		}
	}
	if len(wgTable) < 500 {
		t.Errorf("%d Wade-Giles spellings", len(wgTable))
	}
}

func TestPinyinFromWadeGiles(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// the apostrophe dropped from p'ing (平) reads unaspirated
		{"Hsi Chin-p'ing", "xi jinping"},
		{"Hsi Chin-ping", "xi jinbing"},
		{"Mao Tse-tung", "mao zedong"},
		{"MAO Tse-tung", "mao zedong"},
		{"Mao, Tse-tung", "mao zedong"},
		{"Teng Hsiao-p'ing", "deng xiaoping"},
		{"Chou En-lai", "zhou enlai"},
		{"Li Teng-hui", "li denghui"},
		{"Ch'en Shui-pien", "chen shuibian"},
		{"Ch’en Shui-pien", "chen shuibian"},
		{"Chʻen Shui‐pien", "chen shuibian"},
		{"Chiang Chieh-shih", "jiang jieshi"}, // Chiang Kai-shek is Cantonese: see below
		{"Chiang Ching-kuo", "jiang jingguo"},
		{"Yen Chia-kan", "yan jiagan"},
		{"Lien Chan", "lian zhan"},
		{"Chang Hsüeh-liang", "zhang xueliang"},
		{"Chang Hsueh-liang", "zhang xueliang"},
		{"Lü Hsiu-lien", "lu xiulian"},
		{"Hsieh Ch'ang-t'ing", "xie changting"},
		{"Ts'ai Ying-wen", "cai yingwen"},
		{"Tsai Ying-wen", "zai yingwen"},
		{"Su Chên-ch'ang", "su zhenchang"},
		{"Yu Hsi-k'un", "you xikun"},
		{"Wang Chin-p'ing", "wang jinping"},
		{"Lai Ch'ing-tê", "lai qingde"},
		{"K'o Wen-che", "ke wenzhe"},
		{"Han Kuo-yü", "han guoyu"},
		{"Hou Yu-i", "hou youyi"},
		{"Wu Tun-i", "wu dunyi"},
		{"Sung Ch'u-yü", "song chuyu"},
		{"Ma Ying-chiu", "ma yingjiu"},
		{"Hao Lung-pin", "hao longbin"},
		{"Wang Ching-wei", "wang jingwei"},
		{"Chu Tê", "zhu de"},
		{"Liu Shao-ch'i", "liu shaoqi"},
		{"P'eng Te-huai", "peng dehuai"},
		{"Yeh Chien-ying", "ye jianying"},
		{"Ho Lung", "he long"},
		{"Hua Kuo-feng", "hua guofeng"},
		{"Hu Yao-pang", "hu yaobang"},
		{"Chao Tzu-yang", "zhao ziyang"},
		{"Chiang Tse-min", "jiang zemin"},
		{"Chu Jung-chi", "zhu rongji"},
		{"Wen Chia-pao", "wen jiabao"},
		{"Hu Chin-t'ao", "hu jintao"},
		{"Chou Yung-k'ang", "zhou yongkang"},
		{"Po Hsi-lai", "bo xilai"},
		{"Wang Hu-ning", "wang huning"},
		{"Yüan Shih-k'ai", "yuan shikai"},
		{"Tuan Ch'i-jui", "duan qirui"},
		{"Feng Yü-hsiang", "feng yuxiang"},
		{"Yen Hsi-shan", "yan xishan"},
		{"Chang Tso-lin", "zhang zuolin"},
		{"Ts'ao K'un", "cao kun"},
		{"Hsü Shih-ch'ang", "xu shichang"},
		{"Li Yüan-hung", "li yuanhong"},
		{"K'ang Yu-wei", "kang youwei"},
		{"Liang Ch'i-ch'ao", "liang qichao"},
		{"Hu Shih", "hu shi"},
		{"Lu Hsün", "lu xun"},
		{"Kuo Mo-jo", "guo moruo"},
		{"Ch'ien Hsüeh-sen", "qian xuesen"},
		{"Ssu-ma Ch'ien", "sima qian"},
		{"Lao Tzu", "lao zi"},
		{"K'ung Fu-tzu", "kong fuzi"},
		{"Chuang Tzŭ", "zhuang zi"},
		{"Ch'in Shih-huang", "qin shihuang"},
		// syllables written together
		{"Hsi Chinp'ing", "xi jinping"},
		{"Teng Hsiaop'ing", "deng xiaoping"},
	} {
		got, ok := PinyinFromWadeGiles(c.in)
		if !ok || got != c.want {
			t.Errorf("PinyinFromWadeGiles(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, s := range []string{
		// pinyin, or both pinyin and Wade-Giles with nothing to tell
		"Li Ming", "Wang Wei", "Wang Yi", "Li Peng", "Lin Piao", "Hu Chunhua", "Xi Jinping",
		"Mao Zedong", "Deng Xiaoping", "Zhou Enlai", "Chen Shuibian", "Li Denghui", "Jiang Jieshi",
		"Chou Enlai",
		// English, Arabic, Korean, Vietnamese, other romanisations
		"Tim Cook", "John Smith", "Ali Khan", "Ian Chang", "Vladimir Putin", "Mohammed bin Salman",
		"Osama bin Laden", "Abu Bakr al-Baghdadi", "Kim Jong Un", "Kim Jong-un", "Park Geun-hye",
		"Moon Jae-in", "Ri Yong Ho", "Choe Son Hui", "Yun Ho Jin", "Ch'oe Ryong-hae", "Ch'a Sŭng-hun",
		"Ho Chi Minh", "Nguyen Van Thieu", "Lê Duẩn",
		// Wade-Giles as used, but with a non-Wade-Giles syllable
		"Chiang Kai-shek", "Sun Yat-sen", "Ma Ying-jeou", "Lee Teng-hui", "Tsai Ing-wen",
		// one word alone, or more than two syllables written together
		"Kaohsiung", "Hsinchu", "Tomo", "Chapito", "Iman Maimaiti",
		// malformed
		"", "   ", "-", ",", "Chin-", "-ping", "Ch'en--Shui", "Hsi Chin ping 1", "O'Brien", "Chang'an",
		"Ch''en", strings.Repeat("hsi", 40),
	} {
		if got, ok := PinyinFromWadeGiles(s); ok {
			t.Errorf("PinyinFromWadeGiles(%q) = %q, want ok false", s, got)
		}
	}
}

func TestVariantsWadeGiles(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Hsi Chin-p'ing", "xi jinping"},
		{"Mao Tse-tung", "mao zedong"},
		{"Ch’en Shui-pien", "chen shuibian"}, // not ASCII
		{"Chang Hsüeh-liang", "zhang xueliang"},
	} {
		vs := Variants(c.in)
		if vs[0] != Fold(c.in) || !slices.Contains(vs, c.want) {
			t.Errorf("Variants(%q) = %q, want %q too", c.in, vs, c.want)
		}
	}
	for _, s := range []string{"John Smith", "Li Ming", "Xi Jinping", "Vladimir Putin"} {
		if vs := Variants(s); len(vs) != 1 {
			t.Errorf("Variants(%q) = %q", s, vs)
		}
	}
}

// TestPinyinFromWadeGilesAllocs: names that are not Wade-Giles cost no
// allocation; a Wade-Giles name costs one (the result).
func TestPinyinFromWadeGilesAllocs(t *testing.T) {
	PinyinFromWadeGiles("")
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"John Smith", 0}, {"Vladimir Putin", 0}, {"Li Ming", 0}, {"Mohammed bin Salman", 0},
		{"Hsi Chin-p'ing", 1}, {"Ch’en Shui-pien", 1},
	} {
		if n := testing.AllocsPerRun(100, func() { PinyinFromWadeGiles(c.in) }); n != c.want {
			t.Errorf("PinyinFromWadeGiles(%q): %v allocations, want %v", c.in, n, c.want)
		}
	}
}

func BenchmarkPinyinFromWadeGiles(b *testing.B) {
	for _, s := range []string{"John Smith", "Hsi Chin-p'ing"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				PinyinFromWadeGiles(s)
			}
		})
	}
}

func FuzzPinyinFromWadeGiles(f *testing.F) {
	for _, s := range []string{
		"Hsi Chin-p'ing", "Mao Tse-tung", "Ch’en Shui-pien", "Chʻen Shui‐pien", "Lü Hsiu-lien",
		"Chuang Tzŭ", "Kaohsiung", "hsu\u0308", "te\u0302ng", "John Smith", "Kim Jong Un", "Ch'oe",
		"-", "a-", "ch'", "''", "\xff", "ssŭ-ma", "i-i-i", "Hsi,Chin-ping",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := PinyinFromWadeGiles(s)
		if !ok {
			if out != "" {
				t.Fatalf("PinyinFromWadeGiles(%q) = %q, false", s, out)
			}
			return
		}
		if out == "" || out[0] == ' ' || out[len(out)-1] == ' ' || strings.Contains(out, "  ") {
			t.Fatalf("PinyinFromWadeGiles(%q) = %q: bad spacing", s, out)
		}
		for i := 0; i < len(out); i++ {
			if c := out[i]; !(c >= 'a' && c <= 'z' || c == ' ') {
				t.Fatalf("PinyinFromWadeGiles(%q) = %q: not lower-case ASCII", s, out)
			}
		}
		if Fold(out) != out {
			t.Fatalf("PinyinFromWadeGiles(%q) = %q: not folded", s, out)
		}
		words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' })
		if n := len(strings.Fields(out)); n != len(words) {
			t.Fatalf("PinyinFromWadeGiles(%q) = %q: %d words for %d", s, out, n, len(words))
		}
	})
}
