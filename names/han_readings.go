package names

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

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
