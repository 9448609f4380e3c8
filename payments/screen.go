package payments

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
)

// Options of a payment screening.
type Options struct {
	// Threshold and Limit are the name matcher's (0: its defaults).
	Threshold float64
	Limit     int
	// Regimes and Operator, when Regimes is set, give every match what the
	// law requires of the operator on the payment's value date.
	Regimes  *regime.Engine
	Operator regime.Operator
	// Date, when set, replaces every message's value date for the
	// obligations (what-if, or a message without one). Today is used for
	// a message with no value date and no Date, with a warning.
	Date time.Time
	// TextThreshold is the least score of a name found in free text
	// (default DefaultTextThreshold); such a name must also cover the
	// listed name whole.
	TextThreshold float64
}

// DefaultTextThreshold is the least score of a listed name found in free
// text: higher than for a party's name, because free text is not a name
// (and the name must also be covered whole: wholeName).
const DefaultTextThreshold = 0.9

// PartyResult is one party screened.
type PartyResult struct {
	Party
	Decision    Decision             `json:"decision"`
	Reason      string               `json:"reason,omitempty"`
	BICCountry  string               `json:"bic_country,omitempty"` // chars 5-6 of the BIC
	Matches     []lexscreen.Match    `json:"matches"`
	Conflicts   []lexscreen.Conflict `json:"conflicts,omitempty"`
	ScreenedFor string               `json:"screened_for,omitempty"` // "name", "bic", "name and bic" ...
	// Discounted are the matcher's matches set aside by a rule of
	// payments (partialFirmName), each with why: reported, never a hit.
	Discounted []Discounted `json:"discounted,omitempty"`
}

// Discounted is a match set aside, with the rule that set it aside.
type Discounted struct {
	Entity lexscreen.EntityRef `json:"entity"`
	Score  float64             `json:"score"`
	Reason string              `json:"reason"`
}

// TextHit is a listed name found in a free-text field.
type TextHit struct {
	Field     string               `json:"field"`
	Span      string               `json:"span"`  // the words of the text that matched
	Start     int                  `json:"start"` // byte offsets of Span in the field's text
	End       int                  `json:"end"`
	Line      int                  `json:"line,omitempty"`
	Decision  Decision             `json:"decision"`
	Reason    string               `json:"reason,omitempty"`
	Match     lexscreen.Match      `json:"match"`
	Conflicts []lexscreen.Conflict `json:"conflicts,omitempty"`
}

// Result is the answer for one payment.
type Result struct {
	Message  *Message `json:"message"`
	Decision Decision `json:"decision"` // the strictest of its parties and text hits (and of its pair)
	Reason   string   `json:"reason"`
	Operator string   `json:"operator,omitempty"`
	// Date is the date the obligations are for; DateFrom says where it
	// came from ("32A", "IntrBkSttlmDt", "--date", "today").
	Date      string               `json:"date"`
	DateFrom  string               `json:"date_from"`
	Parties   []PartyResult        `json:"parties"`
	TextHits  []TextHit            `json:"text_hits"`
	Countries []string             `json:"countries,omitempty"` // every country the message names (addresses, BICs)
	Conflicts []lexscreen.Conflict `json:"conflicts"`
	// Pair is the reference of the cover payment or customer transfer
	// (MT202COV and MT103, pacs.009COV and pacs.008) this one shares its
	// decision with.
	Pair     string              `json:"pair,omitempty"`
	Warnings []lexscreen.Warning `json:"warnings,omitempty"`
}

// Flagged reports whether the payment is not a pass.
func (r *Result) Flagged() bool { return r.Decision != Pass }

// Screener screens payments against one screening.Screener. It is safe
// for concurrent use; it keeps a bounded cache of the matches of the
// names and BICs it has screened (payments repeat their banks and
// customers), so obligations are still worked out per message and date.
type Screener struct {
	s     *screening.Screener
	mu    sync.RWMutex
	cache map[string][]lexscreen.Match
	// queries and misses count the names screened and those the cache
	// did not hold (Stats).
	queries, misses atomic.Int64
}

// Stats returns how many names and BICs were screened and how many of them
// the cache did not hold (each a call of the name matcher).
func (ps *Screener) Stats() (queries, matcherCalls int64) {
	return ps.queries.Load(), ps.misses.Load()
}

// maxCache bounds the match cache (entries); it is emptied when full.
const maxCache = 200000

// NewScreener returns a payment Screener over s.
func NewScreener(s *screening.Screener) *Screener {
	return &Screener{s: s, cache: map[string][]lexscreen.Match{}}
}

// matches screens a query without the law, through the cache.
func (ps *Screener) matches(q lexscreen.Query, th float64, limit int) ([]lexscreen.Match, error) {
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s\x00%v\x00%d", q.Name, q.Schema, q.BirthDate,
		strings.Join(q.Countries, ","), strings.Join(q.Identifiers, ","), th, limit)
	ps.queries.Add(1)
	ps.mu.RLock()
	ms, ok := ps.cache[key]
	ps.mu.RUnlock()
	if ok {
		return ms, nil
	}
	ps.misses.Add(1)
	res, err := ps.s.Screen(q, screening.Options{Threshold: th, Limit: limit, OmitListWarnings: true})
	if err != nil {
		return nil, err
	}
	ms = res.Matches
	ps.mu.Lock()
	if len(ps.cache) >= maxCache {
		clear(ps.cache)
	}
	ps.cache[key] = ms
	ps.mu.Unlock()
	return ms, nil
}

// withLaw copies matches with the obligations of the operator on date,
// and returns the decision for them with the conflicts.
func (ps *Screener) withLaw(ms []lexscreen.Match, opts Options, date time.Time) ([]lexscreen.Match, []lexscreen.Conflict, Decision, string, error) {
	out := make([]lexscreen.Match, len(ms))
	copy(out, ms)
	d, why := Pass, ""
	var all []lexscreen.Conflict
	for i := range out {
		m := &out[i]
		var conflicts []lexscreen.Conflict
		if opts.Regimes != nil {
			obl, cs, err := opts.Regimes.Evaluate(opts.Operator, date, ps.s.Listing(m))
			if err != nil {
				return nil, nil, "", "", err
			}
			if obl == nil {
				obl = []lexscreen.Obligation{}
			}
			m.Obligations, conflicts = obl, cs
			all = appendConflicts(all, cs...)
		}
		md, mwhy := decideMatch(*m, conflicts, opts.Regimes != nil)
		if md.rank() > Hold.rank() && !confirmedName(*m) {
			md, mwhy = Hold, fmt.Sprintf("potential match (%s): hold for review; if an analyst confirms it, %s: %s",
				clip(m.Explanation.Summary, 200), strings.ToUpper(string(md)), mwhy)
		}
		if md.rank() > d.rank() || why == "" {
			d, why = md, m.Entity.ID+" ("+m.Entity.Name+"): "+mwhy
		}
	}
	return out, all, d, why, nil
}

// institutionRole reports whether a role is a bank's (an agent, a
// correspondent, the sender or receiver).
func institutionRole(role string) bool {
	for _, w := range []string{"agent", "institution", "sender", "receiver", "intermediary", "correspondent", "assign"} {
		if strings.Contains(role, w) {
			return true
		}
	}
	return false
}

// partyQuery is the query for a party: its name, its country and the
// BIC's, its BIC (also as the head office's 8 characters) and LEI as
// identifiers, its date of birth.
func partyQuery(p Party) lexscreen.Query {
	q := lexscreen.Query{Name: p.Name, BirthDate: p.BirthDate}
	if institutionRole(p.Role) || looksLikeOrganization(p.Name) {
		q.Schema = lexscreen.SchemaOrganization
	}
	if p.Country != "" {
		q.Countries = append(q.Countries, p.Country)
	}
	if c := BICCountry(p.BIC); c != "" && !slices.Contains(q.Countries, c) {
		q.Countries = append(q.Countries, c)
	}
	if ValidBIC(p.BIC) {
		q.Identifiers = append(q.Identifiers, p.BIC)
		if len(p.BIC) == 11 {
			q.Identifiers = append(q.Identifiers, p.BIC[:8])
		}
	}
	if p.LEI != "" {
		q.Identifiers = append(q.Identifiers, p.LEI)
	}
	return q
}

// valueDate is the date the obligations are for, and where it came from.
func valueDate(m *Message, opts Options) (time.Time, string, *lexscreen.Warning) {
	if !opts.Date.IsZero() {
		return opts.Date, "--date", nil
	}
	if m.ValueDate != "" {
		if t, err := time.Parse("2006-01-02", m.ValueDate); err == nil && regime.CheckDate(t) == nil {
			return t, m.DateField, nil
		}
		today := time.Now().UTC().Truncate(24 * time.Hour)
		return today, "today", &lexscreen.Warning{Field: m.DateField, Value: m.ValueDate,
			Message: "the value date could not be read as YYYY-MM-DD in range: the obligations are those of today"}
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	return today, "today", &lexscreen.Warning{Field: "value_date", Value: "",
		Message: "the message gives no value date: the obligations are those of today"}
}

// Screen screens one payment: every party by name, BIC, LEI and country,
// every free-text field for listed names, with the law for the operator
// on the value date.
func (ps *Screener) Screen(m *Message, opts Options) (Result, error) {
	date, from, warn := valueDate(m, opts)
	res := Result{Message: m, Decision: Pass, Operator: opts.Operator.Name, Date: date.Format("2006-01-02"), DateFrom: from,
		Parties: []PartyResult{}, TextHits: []TextHit{}, Conflicts: []lexscreen.Conflict{}}
	if opts.Regimes == nil {
		res.Operator = ""
	}
	if warn != nil {
		res.Warnings = append(res.Warnings, *warn)
	}
	for _, n := range m.Notes {
		res.Warnings = append(res.Warnings, lexscreen.Warning{Field: "message", Message: n})
	}
	seen := map[string]*PartyResult{}
	for _, p := range m.Parties {
		pr := PartyResult{Party: p, Decision: Pass, BICCountry: BICCountry(p.BIC), Matches: []lexscreen.Match{}}
		for _, c := range []string{p.Country, pr.BICCountry} {
			if c != "" && !slices.Contains(res.Countries, c) {
				res.Countries = append(res.Countries, c)
			}
		}
		q := partyQuery(p)
		switch {
		case p.Name != "" && p.BIC != "":
			pr.ScreenedFor = "name and BIC"
		case p.Name != "":
			pr.ScreenedFor = "name"
		case p.BIC != "":
			pr.ScreenedFor = "BIC"
		default:
			pr.ScreenedFor = "LEI"
		}
		if p.BIC != "" && !ValidBIC(p.BIC) {
			res.Warnings = append(res.Warnings, lexscreen.Warning{Field: p.Field, Value: p.BIC,
				Message: "not shaped like a BIC (4 letters, 2-letter country, 2 letters or digits, optional 3-character branch): screened by name only"})
		}
		key := fmt.Sprintf("%s\x00%s\x00%v\x00%s", q.Name, q.BirthDate, q.Identifiers, q.Countries)
		if prev, ok := seen[key]; ok {
			pr.Decision, pr.Reason, pr.Matches, pr.Conflicts, pr.Discounted = prev.Decision, prev.Reason, prev.Matches, prev.Conflicts, prev.Discounted
		} else {
			ms, err := ps.matches(q, opts.Threshold, opts.Limit)
			if err != nil {
				return Result{}, err
			}
			if q.Schema == lexscreen.SchemaOrganization {
				ms, pr.Discounted = discountPartial(ms)
			}
			if len(ms) > 0 {
				pr.Matches, pr.Conflicts, pr.Decision, pr.Reason, err = ps.withLaw(ms, opts, date)
				if err != nil {
					return Result{}, err
				}
			}
		}
		res.Parties = append(res.Parties, pr)
		seen[key] = &res.Parties[len(res.Parties)-1]
	}
	for _, t := range m.Texts {
		hits, err := ps.scanText(t, opts, date)
		if err != nil {
			return Result{}, err
		}
		res.TextHits = append(res.TextHits, hits...)
	}
	res.decide()
	return res, nil
}

// discountPartial sets aside the matches of a firm on part of its name
// (partialFirmName), returning the rest.
func discountPartial(ms []lexscreen.Match) ([]lexscreen.Match, []Discounted) {
	var out []Discounted
	kept := ms[:0:0]
	for _, m := range ms {
		if why := partialFirmName(m); why != "" {
			out = append(out, Discounted{Entity: m.Entity, Score: m.Score, Reason: why})
			continue
		}
		kept = append(kept, m)
	}
	if len(out) == 0 {
		return ms, nil
	}
	return kept, out
}

// decide sets the message's decision: the strictest of its parties and
// text hits, with the reason of that one.
func (r *Result) decide() {
	r.Decision, r.Reason = Pass, "no party and no free text matched a listed entity"
	r.Conflicts = r.Conflicts[:0]
	matched := 0
	for _, p := range r.Parties {
		r.Conflicts = appendConflicts(r.Conflicts, p.Conflicts...)
		if len(p.Matches) == 0 {
			continue
		}
		matched++
		if p.Decision.rank() > r.Decision.rank() || r.Decision == Pass && matched == 1 {
			r.Decision, r.Reason = p.Decision, fmt.Sprintf("%s (%s, field %s): %s", p.Role, cmp.Or(p.Name, p.BIC, p.LEI), p.Field, p.Reason)
		}
	}
	for _, h := range r.TextHits {
		r.Conflicts = appendConflicts(r.Conflicts, h.Conflicts...)
		matched++
		if h.Decision.rank() > r.Decision.rank() || r.Decision == Pass && matched == 1 {
			r.Decision, r.Reason = h.Decision, fmt.Sprintf("free text %s names %q: %s", h.Field, h.Span, h.Reason)
		}
	}
}

// appendConflicts adds the conflicts not in list yet (one per listing and
// explanation: the same conflict reached through two parties counts once).
func appendConflicts(list []lexscreen.Conflict, cs ...lexscreen.Conflict) []lexscreen.Conflict {
	for _, c := range cs {
		if !slices.ContainsFunc(list, func(o lexscreen.Conflict) bool { return o.EntityID == c.EntityID && o.Explanation == c.Explanation }) {
			list = append(list, c)
		}
	}
	return list
}
