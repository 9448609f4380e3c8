package regime

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// A result's confidence is the weakest of the facts it used ([M] < [D] <
// [V-2nd] < [V]), and the result names the fact that limits it. Facts travel
// through the evaluation as tagged strings: the confidence tag, a tab, and
// what the fact is ("D\tentry into force for Germany, 2002-07-01, computed per
// art. 126(2)"). A bare tag is a fact without a name.

// fact tags a confidence with the fact it belongs to; an empty tag stays empty
// (no fact), so optional facts can be passed unconditionally.
func fact[T ~string](c T, what string) string {
	if c == "" {
		return ""
	}
	return string(c) + "\t" + what
}

// splitFact splits a tagged fact into its tag and its name.
func splitFact(s string) (tag, what string) {
	tag, what, _ = strings.Cut(s, "\t")
	return tag, what
}

// weakest returns the weakest of the tagged facts given, as a tagged fact
// whose name joins the names of every fact at that level (so a tie names all
// the limiting facts). Empty and unknown tags are ignored; with none left it
// returns [V].
func weakest(cs ...string) string {
	best, rank := ConfVerified, confRank[ConfVerified]+1
	var names []string
	for _, c := range cs {
		tag, what := splitFact(c)
		r, ok := confRank[tag]
		if !ok {
			continue
		}
		switch {
		case r < rank:
			best, rank, names = tag, r, nil
			fallthrough
		case r == rank:
			for _, n := range strings.Split(what, "; ") {
				if n != "" && !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	if len(names) == 0 {
		return best
	}
	return best + "\t" + strings.Join(names, "; ")
}

// reInlineTag finds a confidence tag a rule's own text gives a part of it:
// "[M]", "[M, wording from memory]", "[V-2nd]", "[D]".
var reInlineTag = regexp.MustCompile(`\[(V-2nd|V|D|M)(?:[,;:][^\]]*)?\]`)

// reFromMemory finds a rule that says in words that it rests on memory.
var reFromMemory = regexp.MustCompile(`(?i)from memory`)

// sentenceAround returns the sentence of s around byte offset i, shortened.
func sentenceAround(s string, i int) string {
	start, end := 0, len(s)
	for _, b := range sentenceBreaks(s) {
		if b <= i {
			start = b
		} else if end == len(s) {
			end = b
		}
	}
	out := strings.TrimSpace(s[start:end])
	if len(out) > 110 {
		cut := strings.LastIndex(out[:110], " ")
		if cut < 40 {
			cut = 110
		}
		out = out[:cut] + " ..."
	}
	return out
}

// abbreviations end with a dot but do not end a sentence.
var abbreviations = map[string]bool{"art": true, "arts": true, "s": true, "ss": true, "para": true, "e.g": true,
	"i.e": true, "no": true, "cf": true, "reg": true, "u.s.c": true, "u.s": true, "v": true}

// sentenceBreaks are the offsets where the sentences of s begin (after ". "
// followed by a capital, unless the dot ends an abbreviation such as "arts.").
func sentenceBreaks(s string) []int {
	var out []int
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' || !(s[i+2] >= 'A' && s[i+2] <= 'Z') {
			continue
		}
		w := strings.LastIndexAny(s[:i], " (")
		if abbreviations[strings.ToLower(s[w+1:i])] {
			continue
		}
		out = append(out, i+2)
	}
	return out
}

// ruleTextFacts are the confidence facts of a rule itself: its tag, and every
// part its own text, dated sentences or source say is weaker ("[M]", "wording
// from memory"). A rule tagged [V] whose text says a part is from memory is
// [M] for any result that uses that text.
func ruleTextFacts(r Rule) []string {
	out := []string{fact(r.Confidence, fmt.Sprintf("rule %s (tagged [%s])", r.ID, r.Confidence))}
	scan := func(where, s string) {
		for _, m := range reInlineTag.FindAllStringSubmatchIndex(s, -1) {
			out = append(out, fact(s[m[2]:m[3]], fmt.Sprintf("rule %s, %s: %q", r.ID, where, sentenceAround(s, m[0]))))
		}
		for _, m := range reFromMemory.FindAllStringIndex(s, -1) {
			out = append(out, fact(ConfMemory, fmt.Sprintf("rule %s, %s: %q", r.ID, where, sentenceAround(s, m[0]))))
		}
	}
	scan("text", r.Text)
	for _, d := range r.DatedText {
		scan("text from "+d.From.t.Format(dfmt), d.Text)
	}
	scan("source", r.Source)
	return out
}

// ruleConf is the confidence of a rule's own text, as a tagged fact.
func (e *Engine) ruleConf(id string) string {
	r, ok := e.rules[id]
	if !ok {
		return ""
	}
	return weakest(ruleTextFacts(r)...)
}

// RuleConfidence is a rule's computed confidence: the weakest of its own text
// and of every dated fact in the legal data that a result under the rule can
// use (a States Party's derived entry-into-force date, an Annex entry, a
// situation's date), with the facts that limit it.
type RuleConfidence struct {
	Confidence string `json:"computed_confidence"`
	LimitedBy  string `json:"confidence_limited_by,omitempty"`
}

// dataFacts lists, for each rule, the dated facts of the legal data that
// results under it can use. A rule's computed confidence is its worst case.
func (e *Engine) dataFacts() map[string][]string {
	m := map[string][]string{}
	add := func(rule string, fs ...string) {
		if rule != "" {
			m[rule] = append(m[rule], fs...)
		}
	}
	progs := make([]string, 0, len(e.programs))
	for id := range e.programs {
		progs = append(progs, id)
	}
	sort.Strings(progs)
	for _, id := range progs {
		p := e.programs[id]
		pf := fact(p.Confidence, "the facts of US program "+p.ID)
		for _, r := range []string{p.ReachRule, p.SecondaryRule, p.EntryRule, p.TerminationRule} {
			add(r, pf)
		}
	}
	for _, s := range e.statutes {
		for _, a := range s.Annex {
			af := fact(a.Confidence, fmt.Sprintf("%s Annex entry %s from %s", s.ID, a.Program, a.EffectiveFrom.t.Format(dfmt)))
			add(s.DoNotComplyRule, af)
			add(s.NotifyRule, af)
		}
	}
	for _, iso := range sortedKeys(e.parties) {
		for _, f := range e.partyFacts(e.parties[iso]) {
			add("icc-arrest-surrender", f)
			add("icc-membership", f)
		}
	}
	for _, code := range sortedKeys(e.situations) {
		s := e.situations[code]
		f := fact(s.Confidence, fmt.Sprintf("date proceedings commenced in %s (%s)", s.Name, s.Code))
		add("icc-art127-2", f)
		if s.UNSCReferral != nil {
			add("icc-unsc-referral", f)
		}
	}
	for _, iso := range sortedKeys(e.declared) {
		for _, dc := range e.declared[iso] {
			add("icc-art12-3", fact(dc.Confidence, fmt.Sprintf("art. 12(3) declaration of %s lodged %s", countryName(dc.ISO2), dc.Lodged.t.Format(dfmt))))
		}
	}
	for _, h := range e.hostile {
		add(h.Rule, fact(h.Confidence, "hostile listing by "+h.Authority))
	}
	for _, id := range sortedKeys(e.licences) {
		for _, f := range licenceFacts(e.licences[id]) {
			add("us-general-licence", f)
		}
	}
	for _, d := range e.allDesignations() {
		for _, h := range d.History {
			add("us-designation-enjoined", fact(h.Confidence, fmt.Sprintf("%s: %s %s", d.Name, h.Status, historyDate(h))))
		}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// computeRuleConfidence fills each rule's computed confidence.
func (e *Engine) computeRuleConfidence() {
	data := e.dataFacts()
	for id, r := range e.rules {
		tag, by := splitFact(weakest(append(ruleTextFacts(r), data[id]...)...))
		r.RuleConfidence = RuleConfidence{Confidence: tag, LimitedBy: shortList(by, 4)}
		e.rules[id] = r
	}
}

// reachFact is the confidence fact of a jurisdiction's reach: who a list's
// law binds (the US-person definition, art. 17 of Reg 269/2014, the UK
// persons of SAMLA, Canada's SEMA).
func (e *Engine) reachFact(jur string) string {
	switch jur {
	case "us":
		return weakest(e.ruleConf("us-person"))
	case "eu":
		return weakest(e.ruleConf("eu-jurisdiction"))
	case "uk":
		return fact(ConfSecondary, "UK reach: persons in the UK and UK persons (nationals, UK-incorporated bodies) wherever they are (lexology 2017 quick guide; legalclarity: secondary sources only)")
	case "ca":
		return weakest(e.ruleConf("ca-freeze"))
	}
	return ""
}

// renderComputed is the line `lexscreen regimes` prints under a rule's own
// tag: its computed confidence and the facts that limit it.
func renderComputed(r Rule) string {
	if r.RuleConfidence.Confidence == "" {
		return ""
	}
	s := fmt.Sprintf("  Computed confidence: [%s] %s", r.RuleConfidence.Confidence, confWords[r.RuleConfidence.Confidence])
	if r.LimitedBy != "" {
		s += "\n    limited by: " + r.LimitedBy
	}
	return s + "\n"
}

// shortList keeps the first n of the "; "-separated facts and counts the rest.
func shortList(by string, n int) string {
	fs := strings.Split(by, "; ")
	if len(fs) <= n {
		return by
	}
	return fmt.Sprintf("%s; and %d more facts at that level", strings.Join(fs[:n], "; "), len(fs)-n)
}
