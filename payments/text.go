package payments

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lexscreen/lexscreen"
)

// word is one word of a free-text field, with its byte offsets.
type word struct {
	text       string
	start, end int
}

// textWords splits text into words: runs of letters, digits, hyphens and
// apostrophes.
func textWords(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || unicode.Is(unicode.Mn, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, word{text[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{text[start:], start, len(text)})
	}
	return out
}

// paymentWords are words of payment text that are never part of a name
// searched for: they end a run of candidate words.
var paymentWords = toSet(`invoice invoices inv payment payments pmt pay paid salary salaries wage wages ref reference
refs contract goods services service fee fees transfer trf credit debit account acc acct loan repayment tranche
rent order po purchase bill amount tax vat consulting delivery delivered shipment freight per for to from by on in at
with via re rechnung facture factura pago zahlung and the or is as our your their this that no nr number date
january february march april may june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec q1 q2 q3 q4 eur usd gbp chf jpy cny rub invoice-no spare parts employee bonus dividend
interest principal advance deposit refund fx settlement ins bnf rec acc inst instr phon phonben tele telebenef
additional information info benef beneficiary ordering customer remittance purpose note notes`)

// joinWords may stand inside a name but never begin or end a span.
var joinWords = toSet(`of the and de del der den la le les du des van von y e i da do dos das`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// maxWindows bounds the spans of one field screened; past it the field is
// screened in part and the result says so.
const maxWindows = 400

// maxSpanWords is the longest span screened (listed names are rarely
// longer in free text).
const maxSpanWords = 5

// candidateRuns splits a field's words into runs that may hold a name:
// words with a letter and no digit that are not payment words.
func candidateRuns(ws []word) [][]word {
	var runs [][]word
	var cur []word
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, cur)
		}
		cur = nil
	}
	for _, w := range ws {
		lw := strings.ToLower(w.text)
		hasLetter, hasDigit := false, false
		for _, r := range w.text {
			hasLetter = hasLetter || unicode.IsLetter(r)
			hasDigit = hasDigit || unicode.IsDigit(r)
		}
		if !hasLetter || hasDigit || paymentWords[lw] && !joinWords[lw] {
			flush()
			continue
		}
		cur = append(cur, w)
	}
	flush()
	return runs
}

// scanText finds listed names in a free-text field without flooding: it
// screens the spans of 2 to maxSpanWords words of each run of candidate
// words (and single words of 5 letters or more), and keeps a match only
// when it scores at least the text threshold and covers the listed name
// (wholeName); a single word must be the entity's caption itself
// ("HAMAS"), never a word split off a longer listed name. Each
// entity is reported once, with its longest span.
func (ps *Screener) scanText(t FreeText, opts Options, date time.Time) ([]TextHit, error) {
	th := opts.TextThreshold
	if th <= 0 {
		th = DefaultTextThreshold
	}
	var hits []TextHit
	byEntity := map[string]int{}
	windows := 0
	for _, run := range candidateRuns(textWords(t.Text)) {
		for i := range run {
			for n := min(maxSpanWords, len(run)-i); n >= 1; n-- {
				span := run[i : i+n]
				first, last := strings.ToLower(span[0].text), strings.ToLower(span[n-1].text)
				if joinWords[first] || joinWords[last] {
					continue
				}
				if n == 1 && utf8.RuneCountInString(span[0].text) < 5 {
					continue
				}
				if windows++; windows > maxWindows {
					return hits, nil
				}
				text := t.Text[span[0].start:span[n-1].end]
				ms, err := ps.matches(lexscreen.Query{Name: text}, th, 3)
				if err != nil {
					return nil, err
				}
				for _, m := range ms {
					if !wholeName(m, n) || n == 1 && !strings.EqualFold(strings.TrimSpace(m.Entity.Name), text) {
						// One word must be the entity's own name (its
						// caption), not a part split off a longer name.
						continue
					}
					if k, ok := byEntity[m.Entity.ID]; ok {
						if hits[k].End-hits[k].Start >= span[n-1].end-span[0].start {
							continue
						}
					}
					law, conflicts, d, why, err := ps.withLaw([]lexscreen.Match{m}, opts, date)
					if err != nil {
						return nil, err
					}
					h := TextHit{Field: t.Field, Span: text, Start: span[0].start, End: span[n-1].end, Line: t.Line,
						Decision: d, Reason: why, Match: law[0], Conflicts: conflicts}
					if k, ok := byEntity[m.Entity.ID]; ok {
						hits[k] = h
					} else {
						byEntity[m.Entity.ID] = len(hits)
						hits = append(hits, h)
					}
				}
			}
		}
	}
	return hits, nil
}

// wholeName reports whether a match covers the listed name with every
// word of a span of n words: no word of the span left unaligned, at least
// two aligned, and at most one word of a listed name of three or more
// missing (a middle name: "Francesca Albanese" for "ALBANESE, Francesca
// Paola"). A single word must be the whole listed name, exactly.
func wholeName(m lexscreen.Match, n int) bool {
	aligned, missing := 0, 0
	for _, a := range m.Explanation.Tokens {
		switch {
		case a.Listed == "" || a.How == "extra":
			return false
		case a.Query == "" || a.How == "missing":
			missing++
		case n == 1 && a.How != "exact":
			return false
		default:
			aligned++
		}
	}
	if n == 1 {
		return aligned == 1 && missing == 0
	}
	return aligned >= 2 && (missing == 0 || missing == 1 && aligned >= 2 && aligned+missing >= 3)
}
