// Package dates reads dates of birth as people and customer files write
// them: ISO with one-digit parts, dd.mm.yyyy, dd-mm-yyyy, yyyymmdd, month
// names in several languages, two-digit years, circa and ranges. It never
// presents a guess as fact: an ambiguous day/month order gives every
// candidate, and text that says "no date" (unknown, N/A, -0-) reads as
// absent.
//
// The rules a reader of a result needs to know:
//
//   - Day/month order. With slashes or hyphens ("03/04/1970", "8/1/84"),
//     when both numbers could be the month and they differ, the order is
//     unknown: Candidates holds both readings and Value only the year.
//     When one number is over 12 the order is settled ("03/30/1970" is
//     1970-03-30, "31-08-1960" is 1960-08-31). Dots ("05.10.1976") are read
//     day first, the only order written with dots.
//   - Two-digit years. "84" is read as 2084 unless that date would be
//     after today, then as 1984: a date of birth is never in the future.
//     So "05" is 2005 (already past) and "84" is 1984; the reading has a
//     Note saying so.
//   - Years outside 1800 .. next year are refused: no one screened was born
//     then.
//   - "00" as a day or month means not known ("00/00/1994" is 1994).
package dates

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/lexscreen/lexscreen"
)

// Reading is what a written date says.
type Reading struct {
	// Value is the date or range read; zero when Absent. When the day and
	// month order is ambiguous, Value holds what every candidate shares
	// (the year, or the year and month) and Candidates holds each reading.
	Value      lexscreen.DateValue
	Candidates []lexscreen.PartialDate
	// Absent reports that the text says there is no date ("", "unknown",
	// "N/A", "-0-").
	Absent bool
	// Note says how a value was read when the text did not settle it: the
	// day/month order ("day and month order is ambiguous: 1970-03-04 or
	// 1970-04-03") or the century of a two-digit year. Empty when the text
	// says exactly one thing, however it was written.
	Note string
}

// Dates returns what the reading may mean, each as a DateValue: every
// candidate when ambiguous, else Value; nil when absent.
func (r Reading) Dates() []lexscreen.DateValue {
	if r.Absent {
		return nil
	}
	if len(r.Candidates) > 0 {
		out := make([]lexscreen.DateValue, len(r.Candidates))
		for i, c := range r.Candidates {
			out[i] = lexscreen.DateValue{From: c, Circa: r.Value.Circa}
		}
		return out
	}
	if r.Value.IsZero() {
		return nil
	}
	return []lexscreen.DateValue{r.Value}
}

// Forms lists the forms Read understands, for error messages and help.
const Forms = "understood: 1960-08-31 (also 1960-8-1 and 1960-08-31T00:00:00Z), 1960-08, 1960, " +
	"31.08.1960, 31/08/1960 or 08/31/1960, 31-08-1960, 1960/08/31, 19600831, " +
	"31 August 1960, Aug 31, 1960, August 1960 (month names in English, French, Spanish, German, " +
	"Portuguese, Italian, Dutch, Turkish, Russian, Ukrainian), two-digit years (31/08/60), " +
	"circa (~1960, c. 1960, about 1960), ranges (1960-1962, between 1960 and 1962), " +
	"and unknown, N/A or -0- for no date"

// Read reads a date of birth. The error, for text that can't be read as a
// date, quotes the whole value and says what forms are understood.
func Read(s string) (Reading, error) { return read(s, time.Now().UTC()) }

// Warning returns the warning a screening result carries for the given
// date of birth as written: that it could not be read (and was left out),
// or how it was read when the text did not settle it (ambiguous day and
// month, a two-digit year). Nil when the value is absent or read exactly.
func Warning(field, value string) *lexscreen.Warning {
	r, err := Read(value)
	switch {
	case err != nil:
		// The forms understood are in the error and the help, not on
		// every row's warning.
		msg, _, _ := strings.Cut(err.Error(), "; "+Forms)
		return &lexscreen.Warning{Field: field, Value: value,
			Message: "could not read the date of birth: " + msg + "; screened without it"}
	case r.Note != "":
		return &lexscreen.Warning{Field: field, Value: value, Message: r.Note}
	}
	return nil
}

// read is Read as of the given day (for two-digit years and the year bound).
func read(s string, today time.Time) (Reading, error) {
	rd := reader{today: today}
	if d, ok := plainISO(s); ok && rd.yearOK(d.Year) == nil {
		// The common case, read without the general machinery: every
		// screening with a date reads it twice (matcher and warning).
		return Reading{Value: lexscreen.DateValue{From: d, Text: s}}, nil
	}
	t := normalize(s)
	if isAbsent(t) {
		return Reading{Absent: true}, nil
	}
	r, err := rd.value(t)
	if err != nil {
		return Reading{}, fmt.Errorf("cannot read %q as a date: %s; %s", s, err, Forms)
	}
	r.Value.Text = strings.TrimSpace(s)
	return r, nil
}

// plainISO reads exactly "YYYY", "YYYY-MM" or "YYYY-MM-DD" (two-digit
// parts, a real calendar date), and nothing else.
func plainISO(s string) (lexscreen.PartialDate, bool) {
	switch len(s) {
	case 4, 7, 10:
	default:
		return lexscreen.PartialDate{}, false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return lexscreen.PartialDate{}, false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return lexscreen.PartialDate{}, false
		}
	}
	d, err := lexscreen.ParseISODate(s)
	return d, err == nil && d.Month != 0 == (len(s) > 4) && (d.Day != 0) == (len(s) > 7)
}

// normalize lowercases s, drops diacritics (compatibility forms such as
// fullwidth digits become ASCII), and collapses white space.
func normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		case unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
			continue
		case r == 'ı': // Turkish dotless i: "Mayıs", "Kasım"
			r = 'i'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// absentWords are texts, stripped of punctuation and spaces, that say there
// is no date.
var absentWords = map[string]bool{
	"unknown": true, "unk": true, "notknown": true, "na": true, "nk": true, "nd": true, "sd": true,
	"none": true, "nil": true, "null": true, "notavailable": true, "notapplicable": true,
	"notgiven": true, "nodate": true, "tbd": true, "inconnu": true, "inconnue": true,
	"nonconnu": true, "desconocido": true, "desconocida": true, "ninguno": true,
	"desconhecido": true, "desconhecida": true, "unbekannt": true, "keine": true,
	"sconosciuto": true, "onbekend": true, "bilinmiyor": true,
	"неизвестно": true, "неизвестна": true, "неизвестен": true, "нет": true, "невiдомо": true,
	"невидомо": true,
}

// isAbsent reports whether normalized text says there is no date: empty,
// punctuation only ("-", "?", "--"), zeros only ("-0-", "00/00/0000"), x
// placeholders ("xx/xx/xxxx") or a word such as "unknown" or "N/A".
func isAbsent(t string) bool {
	var b strings.Builder
	for _, r := range t {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	k := b.String()
	if k == "" || strings.Trim(k, "0") == "" || strings.Trim(k, "x") == "" {
		return true
	}
	return absentWords[k]
}

// reader reads normalized text as of a day.
type reader struct {
	today time.Time
	note  []string // what the text did not settle, for Reading.Note
}

var (
	// reCircaPrefix matches words before a date that say it is approximate
	// ("~1967", "c. 1967", "c1967", "около 1967").
	reCircaPrefix = regexp.MustCompile(`^(?:~|≈|±|\+/-|c(?:a|irca)?\.?\s*(?:\d)|(?:circa|ca|c|approx|approximately|about|around|abt|est|estimated|env|environ|vers|hacia|aprox|aproximadamente|cerca de|etwa|ungefahr|um|около|примерно|ок)(?:\.|\s))\s*`)
	// reCircaSuffix matches the same after it ("1967?", "1967 (?)",
	// "1967 (approx.)").
	reCircaSuffix = regexp.MustCompile(`\s*(?:\?|\(\?\)|\s\(?(?:circa|ca|approx|approximately|est|estimated)\.?\)?|\((?:circa|ca|approx|approximately|est|estimated)\.?\))$`)
	// reTime matches a time of day after a date: "T00:00:00Z", " 00:00".
	reTime = regexp.MustCompile(`(?:t|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?$`)
	// reYearRange matches two years joined without spaces: 1960-1962, 1960/1962.
	reYearRange = regexp.MustCompile(`^(\d{4})\s*(?:-|–|—|/|\.\.)\s*(\d{4})$`)
)

// rangeStart are words that may open a range; rangeJoin join its ends.
var (
	rangeStart = []string{"between", "from", "entre", "zwischen", "von", "desde", "du", "между", "с", "от"}
	rangeJoin  = map[string]bool{"and": true, "to": true, "till": true, "until": true, "through": true,
		"-": true, "–": true, "—": true, "..": true, "et": true, "au": true, "a": true, "y": true,
		"hasta": true, "und": true, "bis": true, "e": true, "ate": true, "и": true, "по": true, "до": true}
)

// value reads a whole normalized text: circa, a range, or one date.
func (rd *reader) value(t string) (Reading, error) {
	circa := false
	if loc := reCircaPrefix.FindStringIndex(t); loc != nil {
		end := loc[1]
		if t[end-1] >= '0' && t[end-1] <= '9' {
			end-- // "c1967": the digit is the date's
		}
		if end < len(t) {
			circa, t = true, t[end:]
		}
	}
	if loc := reCircaSuffix.FindStringIndex(t); loc != nil && loc[0] > 0 {
		circa, t = true, t[:loc[0]]
	}
	r, err := rd.rangeOrOne(strings.TrimSpace(t))
	if err != nil {
		return Reading{}, err
	}
	r.Value.Circa = circa
	r.Note = strings.Join(rd.note, "; ")
	return r, nil
}

// rangeOrOne reads a range ("1960-1962", "between 1960 and 1962",
// "1 May 1960 to June 1961") or else one date.
func (rd *reader) rangeOrOne(t string) (Reading, error) {
	if m := reYearRange.FindStringSubmatch(t); m != nil {
		return rd.span(m[1], m[2])
	}
	words := strings.Fields(t)
	body := words
	if len(words) > 0 && slices.Contains(rangeStart, words[0]) {
		body = words[1:]
	}
	for i := 1; i < len(body)-1; i++ {
		if !rangeJoin[body[i]] {
			continue
		}
		saved := len(rd.note)
		if r, err := rd.span(strings.Join(body[:i], " "), strings.Join(body[i+1:], " ")); err == nil {
			return r, nil
		}
		rd.note = rd.note[:saved]
	}
	return rd.one(t)
}

// span reads a range whose ends are a and b.
func (rd *reader) span(a, b string) (Reading, error) {
	ra, err := rd.one(a)
	if err != nil {
		return Reading{}, err
	}
	rb, err := rd.one(b)
	if err != nil {
		return Reading{}, err
	}
	from, to := ra.Value.From, rb.Value.From
	if from.IsZero() || to.IsZero() {
		return Reading{}, fmt.Errorf("an end of the range has no year")
	}
	if to.Last().Before(from.First()) {
		return Reading{}, fmt.Errorf("the range ends (%s) before it starts (%s)", to, from)
	}
	if from == to {
		return Reading{Value: lexscreen.Single(from)}, nil
	}
	return Reading{Value: lexscreen.DateValue{From: from, To: to}}, nil
}

// one reads one date, numeric or with a month name.
func (rd *reader) one(t string) (Reading, error) {
	t = strings.TrimSpace(t)
	if loc := reTime.FindStringIndex(t); loc != nil && loc[0] > 0 {
		t = t[:loc[0]]
	}
	t = strings.TrimRight(strings.TrimSpace(t), ".,")
	if t == "" {
		return Reading{}, fmt.Errorf("no date")
	}
	if strings.IndexFunc(t, unicode.IsLetter) >= 0 {
		return rd.named(t)
	}
	return rd.numeric(t)
}

// reNumeric matches one to three numbers with a separator (and optional
// spaces) between them: "1952-10-7", "05.10.1976", "8/1/84", "19450328".
var reNumeric = regexp.MustCompile(`^(\d+)(?:\s*([-./\\–\s])\s*(\d+))?(?:\s*([-./\\–\s])\s*(\d+))?$`)

// numeric reads a date written in digits only.
func (rd *reader) numeric(t string) (Reading, error) {
	m := reNumeric.FindStringSubmatch(t)
	if m == nil {
		return Reading{}, fmt.Errorf("not a date")
	}
	parts := []string{m[1]}
	for _, p := range []string{m[3], m[5]} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch len(parts) {
	case 1:
		p := parts[0]
		switch len(p) {
		case 4:
			return rd.single(lexscreen.PartialDate{Year: num(p)})
		case 8: // yyyymmdd, else ddmmyyyy or mmddyyyy
			if d := (lexscreen.PartialDate{Year: num(p[:4]), Month: num(p[4:6]), Day: num(p[6:])}); d.Valid() && rd.yearOK(d.Year) == nil {
				return rd.single(d)
			}
			return rd.dayMonth(num(p[:2]), num(p[2:4]), num(p[4:]), 4, false)
		}
		return Reading{}, fmt.Errorf("%d digits in a row is not a date (want 4 for a year or 8 for yyyymmdd)", len(p))
	case 2:
		a, b := parts[0], parts[1]
		switch {
		case len(a) == 4 && len(b) == 2 && num(b) > 12 && num(a)/100*100+num(b) > num(a):
			// "1960-62", "1960/61": a range whose end keeps only its
			// last two digits (no month is above 12).
			return rd.span(a, strconv.Itoa(num(a)/100*100+num(b)))
		case len(a) == 4 && len(b) <= 2:
			return rd.single(lexscreen.PartialDate{Year: num(a), Month: num(b)})
		case len(a) <= 2 && len(b) == 4:
			return rd.single(lexscreen.PartialDate{Year: num(b), Month: num(a)})
		}
		return Reading{}, fmt.Errorf("two numbers, but not a year and a month")
	}
	a, b, c := parts[0], parts[1], parts[2]
	if len(b) > 2 {
		return Reading{}, fmt.Errorf("the middle number %s is neither a day nor a month", b)
	}
	switch {
	case len(a) == 4 && len(c) <= 2:
		return rd.single(lexscreen.PartialDate{Year: num(a), Month: num(b), Day: num(c)})
	case len(a) <= 2 && (len(c) == 4 || len(c) == 2):
		return rd.dayMonth(num(a), num(b), num(c), len(c), m[2] == "." && m[4] == ".")
	}
	return Reading{}, fmt.Errorf("no year first or last")
}

// dayMonth reads a, b as day and month in whichever order the values allow
// (day first when dayFirst), with year y written in yDigits digits.
func (rd *reader) dayMonth(a, b, y, yDigits int, dayFirst bool) (Reading, error) {
	orders := [][2]int{{b, a}, {a, b}} // (month, day): day first, then month first
	var cands []lexscreen.PartialDate
	var reason error
	for _, o := range orders {
		d := lexscreen.PartialDate{Year: y, Month: o[0], Day: o[1]}
		if d.Month == 0 {
			d.Day = 0 // "00/00/1994": neither known
			if o[1] != 0 {
				continue // a day without its month
			}
		}
		if yDigits == 2 {
			d = rd.century(d)
		}
		if !d.Valid() {
			if reason == nil {
				reason = fmt.Errorf("no day/month order makes a calendar date (%02d/%02d)", a, b)
			}
			continue
		}
		if err := rd.yearOK(d.Year); err != nil {
			return Reading{}, err
		}
		if !slices.Contains(cands, d) {
			cands = append(cands, d)
		}
	}
	switch {
	case len(cands) == 0:
		return Reading{}, reason
	case len(cands) == 1 || dayFirst:
		return rd.single(cands[0])
	}
	slices.SortFunc(cands, func(x, y lexscreen.PartialDate) int { return x.First().Compare(y.First()) })
	shared := lexscreen.PartialDate{Year: cands[0].Year}
	if cands[0].Year != cands[1].Year {
		shared = lexscreen.PartialDate{}
	} else if cands[0].Month == cands[1].Month {
		shared.Month = cands[0].Month
	}
	rd.note = append([]string{fmt.Sprintf("day and month order is ambiguous: %s or %s", cands[0], cands[1])}, rd.note...)
	return Reading{Value: lexscreen.Single(shared), Candidates: cands}, nil
}

// century gives a two-digit year its century: this one, unless the date
// would then be after today, else the last one. It notes the choice.
func (rd *reader) century(d lexscreen.PartialDate) lexscreen.PartialDate {
	yy := d.Year
	d.Year = rd.today.Year()/100*100 + yy
	if d.First().After(rd.today) {
		d.Year -= 100
	}
	n := fmt.Sprintf("two-digit year %02d read as %d", yy, d.Year)
	if !slices.Contains(rd.note, n) {
		rd.note = append(rd.note, n)
	}
	return d
}

// yearOK refuses years no date of birth can have.
func (rd *reader) yearOK(y int) error {
	if y < 1800 || y > rd.today.Year()+1 {
		return fmt.Errorf("year %d is outside 1800..%d", y, rd.today.Year()+1)
	}
	return nil
}

// single checks one date and makes it a Reading.
func (rd *reader) single(d lexscreen.PartialDate) (Reading, error) {
	if d.Month == 0 && d.Day != 0 {
		return Reading{}, fmt.Errorf("a day without a month")
	}
	if !d.Valid() {
		if d.Month > 12 {
			return Reading{}, fmt.Errorf("there is no month %d", d.Month)
		}
		return Reading{}, fmt.Errorf("%04d-%02d-%02d is not a calendar date", d.Year, d.Month, d.Day)
	}
	if err := rd.yearOK(d.Year); err != nil {
		return Reading{}, err
	}
	return Reading{Value: lexscreen.Single(d)}, nil
}

// fillerWords may stand between the parts of a written date: "5 de mayo de
// 1980", "the 3rd of May", "7 сентября 1960 г.".
var fillerWords = map[string]bool{
	"de": true, "del": true, "do": true, "da": true, "of": true, "the": true, "le": true,
	"la": true, "el": true, "den": true, "der": true, "am": true, "on": true, "en": true,
	"born": true, "ne": true, "nee": true, "nacido": true, "nacida": true, "nascido": true,
	"nascida": true, "geboren": true, "geb": true, "г": true, "года": true, "год": true,
	"гг": true, "р": true, "року": true, "рождения": true, "dob": true, "d": true, "b": true,
}

// ordinalSuffixes follow a day's digits: 1st, 2nd, 1er, 1º (folded to o).
var ordinalSuffixes = map[string]bool{
	"st": true, "nd": true, "rd": true, "th": true, "er": true, "re": true, "e": true,
	"eme": true, "o": true, "a": true, "go": true, "e-go": true, "ogo": true, "ого": true,
	"го": true, "е": true,
}

// named reads a date written with a month name.
func (rd *reader) named(t string) (Reading, error) {
	type word struct {
		text   string
		digits bool
	}
	var words []word
	var prevDigits bool
	runs := splitRuns(t)
	for _, r := range runs {
		switch {
		case r.kind == runDigits:
			words = append(words, word{r.text, true})
		case r.kind == runLetters:
			if r.glued && prevDigits && ordinalSuffixes[r.text] {
				break // "1st", "1er"
			}
			words = append(words, word{r.text, false})
		}
		prevDigits = r.kind == runDigits
	}
	month, monthWord := 0, ""
	var nums []string
	for _, w := range words {
		if w.digits {
			nums = append(nums, w.text)
			continue
		}
		if fillerWords[w.text] {
			continue
		}
		m := monthOf(w.text)
		if m == 0 {
			return Reading{}, fmt.Errorf("%q is not a month name", w.text)
		}
		if month != 0 && m != month {
			return Reading{}, fmt.Errorf("two months (%s, %s)", monthWord, w.text)
		}
		month, monthWord = m, w.text
	}
	if month == 0 {
		return Reading{}, fmt.Errorf("no month")
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	var d lexscreen.PartialDate
	switch len(nums) {
	case 0:
		return Reading{}, fmt.Errorf("a month without a year")
	case 1:
		if len(nums[0]) == 4 {
			d = lexscreen.PartialDate{Year: num(nums[0]), Month: month}
		} else if len(nums[0]) == 2 {
			d = rd.century(lexscreen.PartialDate{Year: num(nums[0]), Month: month}) // "Sep-77"
		} else {
			return Reading{}, fmt.Errorf("a month without a year")
		}
	case 2:
		day, year := nums[0], nums[1]
		if len(day) == 4 && len(year) != 4 {
			day, year = year, day // "1960 September 7"
		}
		if len(day) > 2 {
			return Reading{}, fmt.Errorf("%s is not a day", day)
		}
		switch len(year) {
		case 4:
			d = lexscreen.PartialDate{Year: num(year), Month: month, Day: num(day)}
		case 2:
			d = rd.century(lexscreen.PartialDate{Year: num(year), Month: month, Day: num(day)})
		default:
			return Reading{}, fmt.Errorf("%s is not a year", year)
		}
		if d.Day == 0 {
			return Reading{}, fmt.Errorf("day 0")
		}
	default:
		return Reading{}, fmt.Errorf("too many numbers")
	}
	return rd.single(d)
}

type runKind int

const (
	runDigits runKind = iota
	runLetters
	runOther
)

// run is a stretch of digits, of letters, or of anything else.
type run struct {
	kind  runKind
	text  string
	glued bool // follows the previous run with nothing between
}

// splitRuns cuts t into runs of digits and letters; other characters
// separate them (and are dropped, except that a run after them is not
// glued).
func splitRuns(t string) []run {
	var out []run
	kindOf := func(r rune) runKind {
		switch {
		case r >= '0' && r <= '9':
			return runDigits
		case unicode.IsLetter(r):
			return runLetters
		}
		return runOther
	}
	start, cur, glued := 0, runOther, false
	flush := func(end int) {
		if cur != runOther && end > start {
			out = append(out, run{cur, t[start:end], glued})
		}
	}
	for i, r := range t {
		k := kindOf(r)
		if k == cur {
			continue
		}
		flush(i)
		glued = cur != runOther
		start, cur = i, k
	}
	flush(len(t))
	return out
}

// monthNames are month names and their usual abbreviations, by language,
// in the normalized form (lower case, no diacritics); index i is month i+1.
var monthNames = [][12]string{
	{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
	{"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"},
	{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	{"januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
	{"janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	{"ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim", "kasim", "aralik"},
	{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	{"січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень", "вересень", "жовтень", "листопад", "грудень"},
	{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"},
	// abbreviations that are not the start of a name above
	{"jan", "feb", "mrz", "apr", "my", "jun", "jul", "aug", "sept", "oct", "nov", "dec"},
	{"", "", "maerz", "", "", "", "", "", "", "", "", ""},
}

// monthWords maps every normalized month name to its number.
var monthWords = func() map[string]int {
	m := map[string]int{}
	for _, lang := range monthNames {
		for i, name := range lang {
			if name != "" {
				m[normalize(name)] = i + 1
			}
		}
	}
	return m
}()

// monthOf returns 1..12 for a month name or an abbreviation of one (at
// least three letters, the start of names of one month only), else 0.
func monthOf(w string) int {
	w = strings.TrimSuffix(w, ".")
	if m, ok := monthWords[w]; ok {
		return m
	}
	if len([]rune(w)) < 3 {
		return 0
	}
	found := 0
	for name, m := range monthWords {
		if strings.HasPrefix(name, w) {
			if found != 0 && found != m {
				return 0
			}
			found = m
		}
	}
	return found
}
