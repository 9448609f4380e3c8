package regime

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Listing is one listed entity a query matched, as the engine needs it.
// Fill it from a lexscreen.Match: EntityID = Entity.ID, Source =
// Entity.Source, Names = Entity.Names, Designations = Match.Designations,
// Attributes = the stored entity's Attributes (warrant status, hostile
// flag), FirstSeen = the publisher date of the first snapshot holding the
// entry (zero if unknown).
type Listing struct {
	EntityID     string
	Source       string
	Names        []string
	Designations []lexscreen.Designation
	Attributes   map[string][]string
	FirstSeen    time.Time
	Schema       lexscreen.Schema // person, organization, ...; "" when unknown
	// Ownership is the ownership graph of the lists in use (built with the
	// index, see OwnershipBuilder); nil: ownership is not evaluated.
	Ownership *OwnershipGraph
}

func (l Listing) name() string {
	if len(l.Names) > 0 {
		return l.Names[0]
	}
	return l.EntityID
}

func (l Listing) attr(k string) string {
	if v := l.Attributes[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

const dfmt = "2006-01-02"

// evaluation collects what one Evaluate call finds.
type evaluation struct {
	e    *Engine
	op   Operator
	date time.Time
	l    Listing
	obs  []lexscreen.Obligation
	// rules and undated run along obs: the rule each obligation rests on,
	// and whether it arose from a listing whose date is unknown on the date.
	rules   []string
	undated []bool
	seen    map[string]bool
	conf    []lexscreen.Conflict
	// counterparty: the listing is a screening's match, a party the
	// operator deals with (not one entry of an exposure report).
	counterparty bool
	// listingUndated is set while a designation whose date is unknown on the
	// query date is evaluated.
	listingUndated bool
	// why records, for each designation that produced no obligation, the
	// reason it binds nothing; they become NO_LEGAL_EFFECT entries when no
	// other obligation results, so every answer carries its reason.
	why []reason
	// pending are the confidence facts of the rule texts quoted since the
	// last obligation was added (see text): the next obligation used them.
	pending []string
	// flags are attached to every obligation added while they are set (the
	// designation being evaluated is under litigation).
	flags []lexscreen.ObligationFlag
}

// reason is why a designation asks nothing of the operator on the date.
type reason struct {
	rule, authority, text string
	confs                 []string
}

// none records why a designation binds nothing.
func (ev *evaluation) none(ruleID, authority, text string, confs ...string) {
	confs = append(append([]string(nil), confs...), ev.pending...)
	ev.pending = nil
	ev.why = append(ev.why, reason{rule: ruleID, authority: authority, text: text, confs: confs})
}

// text is a rule's text as known on the query date: its dated sentences are
// added only from their date, so no later fact is stated as fact.
func (ev *evaluation) text(ruleID string) string {
	r := ev.e.rules[ruleID]
	ev.pending = append(ev.pending, ev.e.ruleConf(ruleID))
	s := r.Text
	for _, d := range r.DatedText {
		if !d.From.t.After(ev.date) {
			s += " " + d.Text
		}
	}
	return s
}

// Evaluate says what the law requires of op on date because of listing l:
// the obligations (each with authority, citation, deadline, a plain
// explanation, source and confidence) and the conflicts between them, which
// are reported, never resolved. It fails only on bad input (a date out of
// range, an invalid operator, a listing with no id).
//
// The listing is taken as a party op deals with (a screening's match): where
// the operator profile does not say whether an annexed US law affects its
// interests, they are presumed affected by its bearing on that party, so the
// blocking statutes' duty to inform applies (see Operator.InterestsAffected).
func (e *Engine) Evaluate(op Operator, date time.Time, l Listing) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
	out, err := e.evaluate(op, date, l, true)
	return out.obs, out.conflicts, err
}

// outcome is what evaluate finds for one listing.
type outcome struct {
	obs       []lexscreen.Obligation
	conflicts []lexscreen.Conflict
	// reasonsOnly: the obligations are only the reasons why nothing binds,
	// which the exposure report counts as not applicable.
	reasonsOnly bool
	// undated[i]: obs[i] arose from a listing not shown to be in force on
	// the date (no listing date, first seen later).
	undated []bool
}

// evaluate is Evaluate; counterparty says whether l is a party op deals
// with (a match) rather than one entry of an exposure report.
func (e *Engine) evaluate(op Operator, date time.Time, l Listing, counterparty bool) (outcome, error) {
	if err := CheckDate(date); err != nil {
		return outcome{}, err
	}
	if err := op.Validate(); err != nil {
		return outcome{}, err
	}
	if err := e.checkInterests(op); err != nil {
		return outcome{}, err
	}
	if l.EntityID == "" {
		return outcome{}, lexscreen.Errorf(lexscreen.EINVALID, "listing without an entity id")
	}
	if l.Source == "" {
		if i := strings.IndexByte(l.EntityID, ':'); i > 0 {
			l.Source = l.EntityID[:i]
		}
	}
	date = time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	ev := &evaluation{e: e, op: op, date: date, l: l, seen: map[string]bool{}, counterparty: counterparty}
	for _, d := range l.Designations {
		switch {
		case e.hostileFor(d, l) != nil:
			ev.hostile(d, e.hostileFor(d, l))
		case d.Authority == "ICC":
			ev.icc(d)
		default:
			ev.sanctions(d)
		}
	}
	ev.ownership()
	if l.attr("hostile_listing") == "true" && len(l.Designations) == 0 {
		ev.hostile(lexscreen.Designation{Authority: l.attr("listing_state")}, &hostileListing{Rule: "hostile-listing", Confidence: ConfSecondary})
	}
	reasonsOnly := len(ev.obs) == 0
	if reasonsOnly {
		ev.reasons()
	}
	return outcome{obs: ev.obs, conflicts: ev.conf, reasonsOnly: reasonsOnly, undated: ev.undated}, nil
}

// reasons turns the recorded reasons into NO_LEGAL_EFFECT obligations; with
// none recorded (no designation, or one no rule in the data covers) it says
// so, as a gap in the data and not as a legal conclusion.
func (ev *evaluation) reasons() {
	if len(ev.why) == 0 {
		what := "carries no designation the legal data can evaluate"
		if len(ev.l.Designations) > 0 {
			var auth []string
			for _, d := range ev.l.Designations {
				auth = append(auth, d.Authority+" "+d.Program)
			}
			what = "is listed (" + strings.Join(auth, "; ") + ") but no rule in lexscreen's legal data covers that list"
		}
		ev.none("no-rule-in-data", ev.l.Source, fmt.Sprintf("%s %s, so no duty of %s (%s) on %s is derived from it. This is a gap in the data, not a finding that the listing has no effect: check the listing's own legal basis.",
			ev.l.name(), what, ev.op.Name, ev.op.describe(), ev.date.Format(dfmt)))
	}
	for _, r := range ev.why {
		ev.add(lexscreen.ObligationNoLegalEffect, r.rule, r.authority, "", r.text, r.confs...)
	}
}

// add appends an obligation built from a rule, once per kind and rule.
func (ev *evaluation) add(kind lexscreen.ObligationKind, ruleID, authority, deadline, explanation string, confs ...string) {
	r := ev.e.rules[ruleID]
	used := ev.pending
	ev.pending = nil
	key := string(kind) + "\x00" + ruleID + "\x00" + authority
	if ev.seen[key] {
		return
	}
	ev.seen[key] = true
	c, by := splitFact(weakest(append(append([]string{ev.e.ruleConf(ruleID)}, confs...), used...)...))
	if c == ConfMemory && !strings.Contains(explanation, "UNCONFIRMED") {
		explanation = "UNCONFIRMED [M]: part of this rests on facts from memory only (" + by + "), to be verified before relying on it. " + explanation
	}
	if deadline == "" {
		deadline = r.Deadline
	}
	ev.obs = append(ev.obs, lexscreen.Obligation{Kind: kind, Authority: authority, Basis: ev.citation(ruleID), Deadline: deadline,
		Explanation: explanation, Source: r.Source, Confidence: c, ConfidenceLimitedBy: by,
		Flags: append([]lexscreen.ObligationFlag(nil), ev.flags...)})
	ev.rules = append(ev.rules, ruleID)
	ev.undated = append(ev.undated, ev.listingUndated)
}

// setBasis replaces the cited basis of the obligation of that kind, rule and
// authority (a program's own authority instead of the rule's generic one).
func (ev *evaluation) setBasis(kind lexscreen.ObligationKind, ruleID, authority, basis string) {
	cited := ev.citation(ruleID)
	for i := range ev.obs {
		o := &ev.obs[i]
		if o.Kind == kind && o.Authority == authority && o.Basis == cited {
			o.Basis = basis
		}
	}
}

// ---------------------------------------------------------------- hostile listings

func (e *Engine) hostileFor(d lexscreen.Designation, l Listing) *hostileListing {
	for i, h := range e.hostile {
		if h.Authority != d.Authority {
			continue
		}
		for _, p := range h.Programs {
			if p == d.Program {
				return &e.hostile[i]
			}
		}
		if l.attr("hostile_listing") == "true" {
			return &e.hostile[i]
		}
	}
	return nil
}

func (ev *evaluation) hostile(d lexscreen.Designation, h *hostileListing) {
	state := d.Authority
	if s := ev.l.attr("listing_state"); s != "" {
		state = s
	}
	hc := fact(h.Confidence, "the hostile listing by "+countryName(state))
	on := ev.date.Format(dfmt)
	if !d.ListedOn.IsZero() && ev.date.Before(d.ListedOn.Earliest()) {
		ev.none(h.Rule, state, fmt.Sprintf("%s had no case against %s on %s: the case dates from %s. Nothing is required of %s (%s) because of it on that date.",
			countryName(state), ev.l.name(), on, d.ListedOn.String(), ev.op.Name, ev.op.describe()), hc)
		return
	}
	// The events of the case, each cited only from its date.
	var events []DatedSentence
	if !d.ListedOn.IsZero() {
		events = append(events, DatedSentence{From: day{d.ListedOn.Earliest()}, Text: "opened " + d.ListedOn.String()})
	}
	if c, err := parseDay(ev.l.attr("conviction_date")); err == nil {
		events = append(events, DatedSentence{From: day{c}, Text: "in-absentia conviction " + c.Format(dfmt)})
	}
	what := fmt.Sprintf("%s's case against %s", countryName(state), ev.l.name())
	var known []string
	for _, x := range events {
		if !x.From.t.After(ev.date) {
			known = append(known, x.Text)
		}
	}
	if len(known) > 0 {
		what += " (" + strings.Join(known, "; ") + ")"
	}
	if ev.op.inCountry(state) {
		ev.add(lexscreen.ObligationRisk, h.Rule, state, "", fmt.Sprintf("%s is a politically motivated listing of an official of an international court. It has no effect outside %s, but %s acts in %s, where the listing may be enforced under national law: a risk, not a duty recognised elsewhere.",
			what, countryName(state), ev.op.Name, countryName(state)), hc)
		return
	}
	ev.add(lexscreen.ObligationNoLegalEffect, h.Rule, state, "", fmt.Sprintf("%s is a politically motivated (hostile-state) listing of an official of an international court. It has no legal effect outside %s and requires nothing of %s (%s) on %s: do not freeze, block, refuse service or arrest because of it.",
		what, countryName(state), ev.op.Name, ev.op.describe(), on), hc)
}

// ---------------------------------------------------------------- sanctions

func (e *Engine) regimeFor(d lexscreen.Designation, l Listing) *sanctionsRegime {
	for i, r := range e.regimes {
		if !slices.Contains(r.Authorities, d.Authority) {
			continue
		}
		if len(r.Sources) > 0 && !slices.Contains(r.Sources, l.Source) && (d.List == "" || !slices.Contains(r.Lists, d.List)) {
			continue
		}
		return &e.regimes[i]
	}
	return nil
}

// usFacts finds the dated facts the regime data holds for a US designation.
func (e *Engine) usFacts(l Listing, d lexscreen.Designation) *usDesignation {
	if f, ok := e.desigByID[l.EntityID]; ok {
		return f
	}
	for _, f := range e.desigNamed {
		if f.Program != d.Program {
			continue
		}
		for _, n := range l.Names {
			if sameName(n, f.Name) {
				return f
			}
		}
	}
	return nil
}

func sameName(a, b string) bool {
	tok := func(s string) string {
		f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !(r >= 'a' && r <= 'z') && r < 128 })
		sort.Strings(f)
		return strings.Join(f, " ")
	}
	return tok(a) == tok(b)
}

func statusAt(h []statusEntry, t time.Time) *statusEntry {
	var cur *statusEntry
	for i := range h {
		if !h[i].Date.t.After(t) {
			cur = &h[i]
		}
	}
	return cur
}

func (ev *evaluation) sanctions(d lexscreen.Designation) {
	e, l, op := ev.e, ev.l, ev.op
	reg := e.regimeFor(d, l)
	if reg == nil {
		return // no rule in the data: reasons() says so
	}
	// baseRule is the rule a duty under this regime would rest on: the basis
	// cited when the regime asks nothing of the operator.
	baseRule := reg.Duties0()
	on := ev.date.Format(dfmt)
	if op.Role == "authority" {
		ev.none(baseRule, d.Authority, fmt.Sprintf("%s is listed by %s. A sanctions listing freezes or blocks what persons hold or deal in; it gives %s (%s), as a public authority neither holding the property nor admitting persons at a border, no duty on %s.",
			l.name(), d.Authority, op.Name, op.describe(), on), fact(ConfDerived, "that a sanctions listing binds no public authority other than a border (lexscreen's reading)"))
		return
	}
	isUS := d.Authority == "US-OFAC"
	var facts *usDesignation
	var prog usProgram
	if isUS {
		facts = e.usFacts(l, d)
		prog = e.programs[d.Program]
	}
	// When does the designation apply?
	var notes []string
	var extra []string // confidences the date adds
	from := time.Time{}
	switch {
	case !d.ListedOn.IsZero():
		from = d.ListedOn.Earliest()
		extra = append(extra, fact(ConfVerified, fmt.Sprintf("listing date %s in the %s list itself", d.ListedOn.String(), l.Source)))
	case facts != nil && !facts.Designated.IsZero():
		from = facts.Designated.t
		extra = append(extra, fact(facts.Confidence, fmt.Sprintf("designation date %s of %s (regime data)", facts.Designated.t.Format(dfmt), facts.Name)))
	}
	if facts != nil {
		if f := litigationFlag(facts, ev.date); f != nil {
			ev.flags = append(ev.flags, *f)
			defer func() { ev.flags = nil }()
		}
	}
	if !from.IsZero() && ev.date.Before(from) {
		// A designation never applies before its date.
		ev.none(baseRule, d.Authority, fmt.Sprintf("%s is not yet designated by %s on %s: the designation dates from %s, and a listing has no effect before it is made. Nothing is required of %s (%s) because of it on that date.",
			l.name(), d.Authority, on, from.Format(dfmt), op.Name, op.describe()), extra...)
		return
	}
	// unknownDate: the list gives no date and the query date is not shown to
	// fall after the listing (before the first snapshot holding it, or no
	// snapshot date known). The obligation is reported, conditionally, at
	// derived confidence [D] at best.
	unknownDate := from.IsZero() && (l.FirstSeen.IsZero() || ev.date.Before(l.FirstSeen))
	ev.listingUndated = unknownDate
	defer func() { ev.listingUndated = false }()
	if unknownDate {
		seen := "no snapshot date is known for the entry"
		if !l.FirstSeen.IsZero() {
			seen = "the entry is first seen in the snapshot of " + l.FirstSeen.Format(dfmt)
		}
		notes = append(notes, fmt.Sprintf("Listing date unknown: the list gives no designation date and %s, so it is not known whether it was already listed on %s; the duties above apply only if it was [D].", seen, on))
	}
	if !prog.Terminated.IsZero() && !ev.date.Before(prog.Terminated.t) {
		rule := prog.TerminationRule
		if rule == "" {
			rule = baseRule
		}
		ev.none(rule, d.Authority, fmt.Sprintf("%s is listed under %s, a program terminated on %s: on %s the listing no longer requires anything of %s.",
			l.name(), d.Program, prog.Terminated.t.Format(dfmt), on, op.Name), fact(prog.Confidence, fmt.Sprintf("termination of program %s on %s", prog.ID, prog.Terminated.t.Format(dfmt))))
		return
	}
	kindsAsRisk := false
	var statusRule string
	if facts != nil {
		if st := statusAt(facts.History, ev.date); st != nil {
			sf := fact(st.Confidence, fmt.Sprintf("status %q of %s %s", st.Status, facts.Name, historyDate(*st)))
			switch st.Status {
			case "delisted":
				ev.none(baseRule, d.Authority, fmt.Sprintf("%s was removed from the %s list %s (%s): on %s the designation requires nothing of %s.",
					l.name(), d.Authority, historyDate(*st), st.Note, on, op.Name), sf)
				return
			case "enjoined":
				kindsAsRisk, statusRule = true, "us-designation-enjoined"
				notes = append(notes, fmt.Sprintf("Since %s the designation is %s: %s", st.Date.t.Format(dfmt), st.Status, st.Note))
				extra = append(extra, sf)
			case "relisted":
				notes = append(notes, fmt.Sprintf("Re-listed %s. %s", historyDate(*st), st.Note))
				extra = append(extra, sf)
			}
			if st.DateUnknown {
				// Between the previous status and this one the date is not known:
				// the answer is derived, and says what held before.
				prev := "its previous status"
				for i := range facts.History {
					if &facts.History[i] == st && i > 0 {
						p := facts.History[i-1]
						prev = fmt.Sprintf("the status %q of %s", p.Status, p.Date.t.Format(dfmt))
					}
				}
				notes = append(notes, fmt.Sprintf("The date of this change was not captured [NF]: if %s falls before it, %s still held on that date; check the current list before acting.", on, prev))
				extra = append(extra, fact(ConfDerived, fmt.Sprintf("that the %s status of %s holds on %s (its date was not captured)", st.Status, facts.Name, on)))
			}
		}
		for _, g := range facts.GeneralLicences {
			gl := e.licences[g]
			if gl.From.t.After(ev.date) || (!gl.Until.IsZero() && !ev.date.Before(gl.Until.t)) {
				continue
			}
			n, fs := licenceNote(gl, l.name(), ev.date)
			notes = append(notes, n)
			extra = append(extra, fs...)
		}
	}
	listedWhen := "with no listing date in the list"
	if !from.IsZero() {
		listedWhen = "since " + from.Format(dfmt)
	} else if unknownDate {
		listedWhen = "with no listing date in the list (listing date unknown; if it was listed on " + on + ", the following applies)"
	}
	what := fmt.Sprintf("%s is listed by %s", l.name(), d.Authority)
	if d.Program != "" {
		what += " under " + d.Program
	}
	if facts != nil && facts.Basis != "" {
		what += " (" + facts.Basis + ")"
	} else if d.LegalBasis != "" {
		what += " (" + d.LegalBasis + ")"
	}
	what += " " + listedWhen + "."
	lowerIf := func(c string) string {
		if unknownDate {
			return weakest(c, fact(ConfDerived, "listing date unknown: that "+l.name()+" was listed on "+on)) // the date is derived, not read
		}
		return c
	}

	if op.Role == "border" {
		// A border decides admission: only a travel ban asks anything of it.
		ev.entry(d, reg, prog, what, notes, kindsAsRisk, statusRule, lowerIf, extra)
		return
	}
	bound := false
	if reg.Jurisdiction != "" {
		ok, why, reachRule := e.bound(op, reg.Jurisdiction, prog)
		if ok {
			bound = true
			for _, du := range reg.Duties {
				kind, rule := du.Kind, du.Rule
				if du.When == "processes_payments" && !op.processesPayments() {
					continue
				}
				if kindsAsRisk {
					if kind != lexscreen.ObligationBlock {
						continue
					}
					kind, rule = lexscreen.ObligationRisk, statusRule
				}
				dl := ev.deadline(rule)
				expl := fmt.Sprintf("%s %s is bound because it is %s. %s", what, op.Name, why, ev.text(rule))
				cs := append([]string{e.reachFact(reg.Jurisdiction)}, extra...)
				if reachRule != "" {
					expl += " " + ev.text(reachRule)
					cs = append(cs, e.ruleConf(reachRule))
				}
				expl = joinNotes(expl, notes)
				ev.add(kind, rule, d.Authority, dl, expl, lowerIf(weakest(cs...)))
				if isUS {
					basis := programAuthority(prog, d.Program, ev.date) + "; " + ev.citation(rule)
					if reachRule != "" {
						basis += "; " + ev.citation(reachRule)
					}
					ev.setBasis(kind, rule, d.Authority, basis)
				}
			}
		}
	}
	for _, im := range reg.ImplementedBy {
		if ok, why, _ := e.bound(op, im.Jurisdiction, usProgram{}); ok {
			bound = true
			for _, du := range im.Duties {
				expl := fmt.Sprintf("%s %s is bound because it is %s: %s %s", what, op.Name, why, ev.text(im.Rule), ev.text(du.Rule))
				ev.add(du.Kind, du.Rule, d.Authority+" via "+strings.ToUpper(im.Jurisdiction), ev.deadline(du.Rule), joinNotes(expl, notes),
					lowerIf(weakest(append([]string{e.reachFact(im.Jurisdiction), e.ruleConf(im.Rule)}, extra...)...)))
			}
		}
	}
	if !bound && reg.RiskRule != "" {
		expl := fmt.Sprintf("%s %s (%s) has no duty under it on %s: %s", what, op.Name, op.describe(), ev.date.Format(dfmt), ev.text(reg.RiskRule))
		if slices.Contains(op.CurrencyNexus, "USD") && isUS {
			expl += " Its USD business cleared through US banks raises that risk."
		}
		if isUS {
			expl += fmt.Sprintf(" The program's authority: %s.", programAuthority(prog, d.Program, ev.date))
			if prog.Secondary == "" {
				expl += " The data knows no mandatory secondary-sanctions statute for this program: the risk is designation and causing liability."
			}
		}
		ev.add(lexscreen.ObligationRisk, reg.RiskRule, d.Authority, "", joinNotes(expl, notes), lowerIf(weakest(extra...)))
		if isUS {
			ev.setBasis(lexscreen.ObligationRisk, reg.RiskRule, d.Authority, programAuthority(prog, d.Program, ev.date)+"; "+ev.citation(reg.RiskRule))
		}
		if isUS && prog.Secondary != "" && prog.SecondaryRule != "" {
			if op.Role == "bank" {
				sx := fmt.Sprintf("%s %s (%s) is a foreign financial institution: beyond designation risk, mandatory secondary sanctions apply under %s. %s",
					what, op.Name, op.describe(), prog.Secondary, ev.text(prog.SecondaryRule))
				ev.add(lexscreen.ObligationRisk, prog.SecondaryRule, d.Authority, "", joinNotes(sx, notes), lowerIf(weakest(extra...)))
			} else {
				ev.obs[len(ev.obs)-1].Explanation += fmt.Sprintf(" %s (secondary sanctions on foreign financial institutions) does not reach %s, which is not a bank.", prog.Secondary, op.Name)
			}
		}
	}
	if !bound && reg.RiskRule == "" {
		reach := strings.ToUpper(reg.Jurisdiction)
		if reach == "" {
			reach = "its Member States' implementing law"
		} else {
			reach += " law"
		}
		ev.none(baseRule, d.Authority, joinNotes(fmt.Sprintf("%s The list's jurisdiction (%s) does not reach %s (%s): it is not incorporated, resident, a national or acting there, so the listing imposes no duty on it on %s.",
			what, reach, op.Name, op.describe(), on), notes), lowerIf(weakest(append([]string{e.reachFact(reg.Jurisdiction)}, extra...)...)))
	}
	if isUS {
		ev.blocking(d, prog, bound && !kindsAsRisk, "")
	}
}

func joinNotes(s string, notes []string) string {
	if len(notes) == 0 {
		return s
	}
	return s + " " + strings.Join(notes, " ")
}

// deadline renders a rule's deadline, with the date when it is computable.
func (ev *evaluation) deadline(ruleID string) string {
	dl := ev.e.rules[ruleID].Deadline
	switch dl {
	case "10 business days":
		return fmt.Sprintf("10 business days (by %s if the property is blocked or the transfer rejected on %s; weekends and US federal holidays excluded)",
			addBusinessDays(ev.date, 10).Format(dfmt), ev.date.Format(dfmt))
	case "30 days":
		return fmt.Sprintf("30 days (by %s if the information was obtained on %s)", ev.date.AddDate(0, 0, 30).Format(dfmt), ev.date.Format(dfmt))
	}
	return dl
}

// bound tests whether op is within a jurisdiction's reach, and why (citing
// the rule that says who the jurisdiction binds, where the data has one).
func (e *Engine) bound(op Operator, jur string, prog usProgram) (bool, string, string) {
	ok, why, reach := e.bound0(op, jur, prog)
	if who := map[string]string{"us": "us-person", "eu": "eu-jurisdiction"}[jur]; ok && reach == "" && who != "" {
		why += " [" + e.rules[who].Citation + "]"
	}
	return ok, why, reach
}

func (e *Engine) bound0(op Operator, jur string, prog usProgram) (bool, string, string) {
	switch jur {
	case "us":
		switch {
		case op.Incorporation == "US":
			return true, "organised under US law (a US person)", ""
		case slices.Contains(op.Nationality, "US"):
			return true, "a US national (a US person)", ""
		case op.actsIn("US"):
			return true, "acting in the United States (a US person while there)", ""
		}
		if p := op.Parent; p != nil && p.Jurisdiction == "US" {
			if p.Relation == "branch" {
				return true, "a foreign branch of a US entity (a US person)", ""
			}
			if slices.Contains(prog.Reach, p.Relation) {
				return true, fmt.Sprintf("a foreign %s of a US entity, which the %s program treats as a US person", p.Relation, prog.ID), prog.ReachRule
			}
		}
	case "eu":
		switch {
		case op.Incorporation == "EU" || e.eu[op.Incorporation]:
			return true, "incorporated under the law of a Member State (art. 17(d))", ""
		case e.anyEU(op.Nationality):
			return true, "a Member State national (art. 17(c))", ""
		case e.anyEU(op.ActsIn):
			return true, "doing business in the Union (art. 17(a), (e))", ""
		}
	case "uk":
		switch {
		case op.Incorporation == "GB":
			return true, "a UK-incorporated body (a UK person)", ""
		case slices.Contains(op.Nationality, "GB"):
			return true, "a UK national", ""
		case op.actsIn("GB"):
			return true, "acting in the United Kingdom", ""
		}
	case "ca":
		if op.Incorporation == "CA" || slices.Contains(op.Nationality, "CA") || op.actsIn("CA") {
			return true, "in Canada or Canadian", ""
		}
	}
	return false, "", ""
}

func (e *Engine) anyEU(cs []string) bool {
	for _, c := range cs {
		if c == "EU" || e.eu[c] {
			return true
		}
	}
	return false
}

func (op Operator) actsIn(cc string) bool { return slices.Contains(op.ActsIn, cc) }

func (op Operator) inCountry(cc string) bool {
	return op.State == cc || op.Incorporation == cc || op.actsIn(cc)
}

// art11 tests whether op is a person the Blocking Statute covers: art. 11 of
// Reg. 2271/96 (territory "eu"), or of the UK's retained version, where
// "Community" reads "United Kingdom" (territory "uk"). Its limbs: (1)
// residents who are Member State nationals, (2) legal persons incorporated
// within the territory, (3) shipping persons (not modelled: no profile field),
// (4) other residents, (5) any other natural person within the territory
// acting in a professional capacity. A company incorporated elsewhere is not
// covered although it acts (e.g. by a branch) in the territory; its staff there
// may be, under (5). A natural person's presence (acts_in) stands for
// residence or professional presence. A national living outside is not covered.
func (e *Engine) art11(op Operator, territory string) (bool, string) {
	in := func(cc string) bool {
		return (territory == "eu" && (cc == "EU" || e.eu[cc])) || (territory == "uk" && cc == "GB")
	}
	where := "the Union"
	if territory == "uk" {
		where = "the United Kingdom"
	}
	if op.Role == "border" || op.Role == "authority" {
		return false, ""
	}
	if op.Incorporation != "" && op.Role != "person" {
		if in(op.Incorporation) {
			return true, "a legal person incorporated within " + where + " (art. 11, second indent)"
		}
		return false, ""
	}
	present := false
	for _, c := range op.ActsIn {
		present = present || in(c)
	}
	if !present {
		return false, ""
	}
	for _, c := range op.Nationality {
		if in(c) {
			return true, "a national resident or acting in " + where + " (art. 11, first and fifth indents)"
		}
	}
	return true, "a natural person resident in, or acting in a professional capacity within, " + where + " (art. 11, fourth and fifth indents)"
}

// blocking applies the blocking statutes to a US designation.
// prog is the US program the designation is under (its ID matches Annex
// entries for its aliases too: an IFSR listing is an Iran-program listing).
//
// via, when not empty, says the listing is not itself designated but
// blocked by ownership ("... is not itself listed ..., but is blocked by
// ownership, via X (n%)."): the statute forbids complying with that
// block as with any other requirement of the annexed law.
func (ev *evaluation) blocking(d lexscreen.Designation, prog usProgram, usBound bool, via string) {
	e, op := ev.e, ev.op
	for _, st := range e.statutes {
		covered, why := e.art11(op, st.Covers)
		if !covered {
			continue
		}
		var in *annexEntry
		for i, a := range st.Annex {
			if (a.Program == d.Program || (prog.ID != "" && a.Program == prog.ID)) && !a.EffectiveFrom.t.After(ev.date) && (a.EffectiveTo.IsZero() || ev.date.Before(a.EffectiveTo.t)) {
				in = &st.Annex[i]
			}
		}
		if in == nil {
			// Say so on the US obligations: nothing forbids or requires compliance.
			for i := range ev.obs {
				if ev.obs[i].Authority == d.Authority && !strings.Contains(ev.obs[i].Explanation, st.ID) {
					ev.obs[i].Explanation += fmt.Sprintf(" %s (%s) does not apply: %s is not in its Annex on %s, so EU/UK law neither forbids nor requires compliance; it is a risk and commercial decision.",
						st.ID, st.Title, d.Program, ev.date.Format(dfmt))
				}
			}
			continue
		}
		law := in.Law
		if law == "" {
			law = d.Program
		}
		note := ""
		if in.Note != "" {
			note = " (" + in.Note + ")"
		}
		base := fmt.Sprintf("%s is listed under %s, whose law (%s) is in the Annex of %s since %s%s. %s is covered because it is %s.",
			ev.l.name(), d.Program, law, st.ID, in.EffectiveFrom.t.Format(dfmt), note, op.Name, why)
		if via != "" {
			base = fmt.Sprintf("%s The block comes from %s, whose law (%s) is in the Annex of %s since %s%s. %s is covered because it is %s.",
				via, d.Program, law, st.ID, in.EffectiveFrom.t.Format(dfmt), note, op.Name, why)
		}
		expl := base + " " + ev.text(st.DoNotComplyRule)
		if st.AuthorisationRule != "" {
			expl += " Unless authorised: " + ev.text(st.AuthorisationRule)
		}
		af := fact(in.Confidence, fmt.Sprintf("%s Annex entry for %s (%s) from %s", st.ID, in.Program, law, in.EffectiveFrom.t.Format(dfmt)))
		cr := e.rules[st.CoversRule] // art. 11: who is covered
		cf := fact(cr.Confidence, fmt.Sprintf("who %s covers (%s)", st.ID, cr.Citation))
		ev.add(lexscreen.ObligationDoNotComply, st.DoNotComplyRule, st.Authority, "", expl, af, cf)
		ev.notify(st, in, d, prog, base, af, cf)
		if usBound {
			ev.conflict(st, d, prog)
		}
	}
}

// ---------------------------------------------------------------- ICC

// warrantState is a warrant's status on the query date: what it is, since
// when, how sure, and which State holds or released the person.
type warrantState struct {
	status, conf, since, state string
}

// parseWarrantHistory reads "DATE STATUS [STATE] [CONFIDENCE]" entries
// ("2025-07-16 arrested_by_state DE [V]"); unreadable entries are skipped.
func parseWarrantHistory(entries []string) []statusEntry {
	var h []statusEntry
	for _, s := range entries {
		f := strings.Fields(s)
		if len(f) < 2 {
			continue
		}
		pd, err := lexscreen.ParseISODate(f[0])
		if err != nil {
			continue
		}
		se := statusEntry{Date: day{pd.First()}, Status: f[1], Confidence: ConfDerived}
		for _, x := range f[2:] {
			if strings.HasPrefix(x, "[") {
				se.Confidence = conf(strings.Trim(x, "[]"))
			} else if len(x) == 2 {
				se.State = strings.ToUpper(x)
			}
		}
		h = append(h, se)
	}
	return h
}

// warrantStatus reads the warrant status on the date from the listing's
// attributes ("warrant_status_history": "2025-03-07 at_large [M]") and the
// overlays.
func (ev *evaluation) warrantStatus() warrantState {
	h := parseWarrantHistory(ev.l.Attributes["warrant_status_history"])
	h = append(h, ev.e.warrants[ev.l.EntityID]...)
	sort.SliceStable(h, func(i, j int) bool { return h[i].Date.t.Before(h[j].Date.t) })
	if st := statusAt(h, ev.date); st != nil {
		return warrantState{st.Status, string(st.Confidence), st.Date.t.Format(dfmt), st.State}
	}
	if len(h) == 0 {
		if s := ev.l.attr("warrant_status"); s != "" {
			return warrantState{s, ConfDerived, "", ""}
		}
	}
	return warrantState{"at_large", ConfDerived, "", ""}
}

// dutyEnds reports whether a warrant status ends the duty to arrest and
// surrender: only the Court's own custody (and a judgment given while the
// person is in its hands), a withdrawn warrant or the person's death. A
// State's arrest, a release, "unclear" or any status not known here leaves the
// duty in place (arts. 59(7), 89(1)): fail closed.
func dutyEnds(status string) bool {
	switch status {
	case "in_icc_custody", "convicted", "acquitted", "withdrawn", "deceased":
		return true
	}
	return false
}

func (ev *evaluation) icc(d lexscreen.Designation) {
	e, op := ev.e, ev.op
	on := ev.date.Format(dfmt)
	wconf := ev.l.attr("warrant_date_confidence")
	wf := fact(wconf, fmt.Sprintf("warrant date %s for %s (%s list)", d.ListedOn.String(), ev.l.name(), ev.l.Source))
	issued := d.ListedOn.IsZero() || !ev.date.Before(d.ListedOn.Earliest())
	if op.Role != "border" && op.Role != "authority" {
		// An ICC warrant asks States to arrest; it is no asset freeze (arts. 57(3)(e), 93(1)(k)).
		warrant := fmt.Sprintf("The ICC arrest warrant of %s for %s binds", d.ListedOn.String(), ev.l.name())
		if !issued {
			warrant = fmt.Sprintf("No ICC arrest warrant for %s has been issued on %s; an ICC warrant, once issued, binds", ev.l.name(), on)
		}
		ev.none("icc-no-asset-freeze", "ICC (Rome Statute)", fmt.Sprintf("%s the authorities of States (arrest and surrender, Part 9), not %s (%s): %s Nothing is required of it on %s because of the warrant.",
			warrant, op.Name, op.describe(), ev.text("icc-no-asset-freeze"), on), wf)
		return
	}
	if !issued {
		ev.none("icc-warrant-status", "ICC (Rome Statute)", fmt.Sprintf("No ICC arrest warrant for %s has been issued on %s: the warrant is of %s (art. 58), and before it there is nothing to execute. Nothing is required of %s on that date.",
			ev.l.name(), on, d.ListedOn.String(), op.describe()), wf)
		return
	}
	ws := ev.warrantStatus()
	since := ws.since
	if since == "" {
		since = "a date not recorded"
	}
	wsf := fact(ws.conf, fmt.Sprintf("warrant status %q of %s since %s", ws.status, ev.l.name(), since))
	if ws.status == "arrested_by_state" || ws.status == "released" {
		// The duty after a State's arrest or release rests on arts. 59(7), 89(1).
		ev.pending = append(ev.pending, e.ruleConf("icc-state-custody"))
	}
	if dutyEnds(ws.status) {
		what := map[string]string{"in_icc_custody": "is in the Court's custody", "convicted": "has been convicted by the Court",
			"acquitted": "has been acquitted by the Court", "withdrawn": "is the subject of a withdrawn warrant", "deceased": "is deceased"}[ws.status]
		since := ""
		if ws.since != "" {
			since = " since " + ws.since
		}
		ev.none("icc-warrant-status", "ICC (Rome Statute)", fmt.Sprintf("%s %s%s, so on %s there is nobody to arrest or surrender under the ICC warrant of %s: nothing is required of %s (%s).",
			ev.l.name(), what, since, on, d.ListedOn.String(), op.Name, op.describe()), wsf, wf)
		return
	}
	x := op.State
	sit := e.situations[ev.l.attr("situation_code")]
	sitf := fact(sit.Confidence, fmt.Sprintf("date proceedings commenced in the situation %s (%s)", sit.Name, orDash(sit.Code)))
	warrant := fmt.Sprintf("The ICC arrest warrant of %s for %s (situation %s", d.ListedOn.String(), ev.l.name(), d.Program)
	if sit.Code != "" {
		warrant += ", " + sit.Code
	}
	warrant += ") is outstanding and " + warrantSituation(ws, ev.date) + "."
	deadline := "immediately (art. 59(1)); provisional arrest possible (art. 92)"
	if ws.status == "arrested_by_state" && ws.state == x {
		deadline = "surrender as soon as possible (art. 59(7)); the person stays in custody until then"
	}
	if wconf == ConfMemory {
		warrant += " The warrant date is from memory only [M]."
	}
	name := countryName(x)
	sp, isParty := e.parties[x]
	partyOn := isParty && !ev.date.Before(sp.EntryIntoForce.t) && (sp.WithdrawalEffective.IsZero() || ev.date.Before(sp.WithdrawalEffective.t) ||
		(!sp.WithdrawalRepealed.IsZero() && sp.WithdrawalRepealed.t.Before(sp.WithdrawalEffective.t)))
	switch {
	case partyOn:
		expl := fmt.Sprintf("%s has been a State Party to the Rome Statute since %s (entry into force) and is one on %s. %s So %s must arrest the person and surrender them to the Court: %s",
			name, sp.EntryIntoForce.t.Format(dfmt), ev.date.Format(dfmt), warrant, op.describe(), ev.text("icc-arrest-surrender"))
		if w := withdrawalOn(sp, name, ev.date); w != "" {
			expl += " " + w
		}
		expl += " " + ev.text("icc-domestic-law-no-excuse") // art. 88
		ev.add(lexscreen.ObligationArrestAndSurrender, "icc-arrest-surrender", "ICC (Rome Statute); "+op.Name, deadline,
			expl, append(e.membershipFacts(sp, ev.date), wf, wsf)...)
	case isParty && !sp.WithdrawalEffective.IsZero() && !ev.date.Before(sp.WithdrawalEffective.t) &&
		!sit.ProceedingsCommenced.IsZero() && sit.ProceedingsCommenced.t.Before(sp.WithdrawalEffective.t):
		expl := fmt.Sprintf("%s was a State Party from %s until its withdrawal took effect on %s. The proceedings in the situation %s commenced on %s, before that date, so under art. 127(2) its duty to cooperate, including to arrest and surrender, survives. %s %s",
			name, sp.EntryIntoForce.t.Format(dfmt), sp.WithdrawalEffective.t.Format(dfmt), sit.Name, sit.ProceedingsCommenced.t.Format(dfmt), warrant, ev.text("icc-arrest-surrender"))
		if n := strings.TrimSpace(sit.Note + " " + sentencesOn(sit.DatedNotes, ev.date)); n != "" {
			expl += " (" + n + ")"
		}
		ev.add(lexscreen.ObligationArrestAndSurrender, "icc-art127-2", "ICC (Rome Statute art. 127(2)); "+op.Name, "immediately (art. 59(1))",
			expl, append(e.membershipFacts(sp, ev.date), sitf, wf, wsf)...)
	case e.declarationFor(x, ev.l.attr("situation_code"), ev.date) != nil:
		dc := e.declarationFor(x, ev.l.attr("situation_code"), ev.date)
		period := "from " + dc.CrimesFrom.t.Format(dfmt)
		if dc.CrimesFrom.IsZero() {
			period = "(period not recorded)"
		} else if !dc.CrimesTo.IsZero() {
			period += " to " + dc.CrimesTo.t.Format(dfmt)
		}
		expl := fmt.Sprintf("%s is not a State Party on %s, but on %s it lodged a declaration under art. 12(3) accepting the Court's jurisdiction over crimes committed %s in the situation %s. %s So %s must arrest the person and surrender them to the Court: %s",
			name, ev.date.Format(dfmt), dc.Lodged.t.Format(dfmt), period, d.Program, warrant, op.describe(), ev.text("icc-art12-3"))
		if n := strings.TrimSpace(dc.Note + " " + sentencesOn(dc.DatedNotes, ev.date)); n != "" {
			expl += " (" + n + ")"
		}
		ev.add(lexscreen.ObligationArrestAndSurrender, "icc-art12-3", "ICC (Rome Statute art. 12(3)); "+op.Name, deadline,
			expl, fact(dc.Confidence, fmt.Sprintf("art. 12(3) declaration of %s lodged %s", name, dc.Lodged.t.Format(dfmt))), wf, wsf)
	case sit.UNSCReferral != nil && slices.Contains(sit.UNSCReferral.Binds, x):
		expl := fmt.Sprintf("%s is not a State Party on %s, but the Security Council referred the situation %s to the Court and ordered %s to cooperate fully (%s). %s",
			name, ev.date.Format(dfmt), sit.Name, name, sit.UNSCReferral.Resolution, warrant)
		ev.add(lexscreen.ObligationArrestAndSurrender, "icc-unsc-referral", "ICC / UN Security Council; "+op.Name, "immediately",
			expl, fact(sit.Confidence, fmt.Sprintf("Security Council referral of the situation %s (%s)", sit.Name, sit.UNSCReferral.Resolution)), wf, wsf)
	default:
		status := "has never been a State Party to the Rome Statute"
		cs := []string{fact(ConfDerived, name+" absent from the States Parties data (UN Treaty Collection, 2026-08-22)"), wf, wsf}
		if isParty {
			cs = append(e.membershipFacts(sp, ev.date), wf, wsf)
			switch {
			case ev.date.Before(sp.EntryIntoForce.t):
				// Only the deposit is known on the date: the entry into force is yet to come.
				status = "is not yet a State Party: the Statute enters into force for it on " + sp.EntryIntoForce.t.Format(dfmt) + " (art. 126(2))"
				if !sp.Ratified.IsZero() && ev.date.Before(sp.Ratified.t) {
					status = "is not a State Party: it has not yet ratified or acceded to the Statute"
				}
			default:
				status = "is no longer a State Party: its withdrawal took effect on " + sp.WithdrawalEffective.t.Format(dfmt) + " (art. 127(1)), and the proceedings in this situation are not recorded as begun before then (art. 127(2))"
				cs = append(cs, sitf)
			}
		}
		ev.none("icc-membership", "ICC (Rome Statute)", fmt.Sprintf("%s %s on %s, has lodged no art. 12(3) declaration for this situation, and no Security Council resolution binds it to cooperate. %s So the Statute, a treaty, imposes no duty to arrest on %s: a treaty binds only its parties.",
			name, status, on, warrant, op.describe()), cs...)
	}
}

// warrantSituation says where the person stands on the date, and why the
// duty to arrest and surrender still runs.
func warrantSituation(ws warrantState, on time.Time) string {
	by := "a State"
	if ws.state != "" {
		by = countryName(ws.state)
	}
	date := on.Format(dfmt)
	switch ws.status {
	case "at_large":
		return "the person is at large on " + date
	case "arrested_by_state":
		return fmt.Sprintf("the person, arrested by %s on %s, is not in the Court's custody on %s: surrender is pending, and the duty to surrender continues until the person is delivered to the Court (arts. 59(7), 89(1))", by, ws.since, date)
	case "released":
		return fmt.Sprintf("the person was released on %s (by %s) without being surrendered, so is at large on %s; a release does not end the duty to arrest and surrender (arts. 59(7), 89(1))", ws.since, by, date)
	case "unclear":
		return "the warrant has not been withdrawn, but the person's status on " + date + " is unclear (reported deceased)"
	}
	return fmt.Sprintf("the person's recorded status %q (since %s) does not say they are in the Court's custody on %s, so the duty stands", ws.status, ws.since, date)
}

// ---------------------------------------------------------------- travel bans

// hasMeasure reports whether a designation carries a measure (case-insensitive).
func hasMeasure(ms []string, m string) bool {
	for _, x := range ms {
		if strings.EqualFold(strings.TrimSpace(x), m) {
			return true
		}
	}
	return false
}

// closesBorder reports whether a travel ban of the given reach ("us", "eu",
// "uk", "any") binds the border of state.
func (e *Engine) closesBorder(reach, state string) bool {
	switch reach {
	case "any":
		return true
	case "us":
		return state == "US"
	case "uk":
		return state == "GB"
	case "eu":
		return e.eu[state]
	}
	return false
}

// entry gives a border authority DENY_ENTRY when a travel ban applies: the
// program itself suspends entry (EO 14203 s.4, at the US border), or the
// listing's measures include a travel ban and the regime's ban reaches this
// State's border. Entities cannot be refused entry: only persons (or an
// unknown schema, fail closed).
func (ev *evaluation) entry(d lexscreen.Designation, reg *sanctionsRegime, prog usProgram, what string, notes []string,
	asRisk bool, statusRule string, lowerIf func(string) string, extra []string) {
	e, op := ev.e, ev.op
	on := ev.date.Format(dfmt)
	if ev.l.Schema != "" && ev.l.Schema != lexscreen.SchemaPerson {
		ev.none(reg.Duties0(), d.Authority, fmt.Sprintf("%s A border authority decides the admission of persons; %s is a %s, which cannot be refused entry, so the listing asks nothing of %s (%s) on %s.",
			what, ev.l.name(), ev.l.Schema, op.Name, op.describe(), on), fact(ConfDerived, "that a border decides the admission of persons only (lexscreen's reading)"))
		return
	}
	var rule, why string
	switch {
	case prog.EntryRule != "" && op.State == "US":
		rule, why = prog.EntryRule, fmt.Sprintf("the %s program itself suspends the designee's entry into the United States", prog.ID)
	case reg.TravelBan != nil && hasMeasure(d.Measures, "travel ban") && e.closesBorder(reg.TravelBan.Borders, op.State):
		rule, why = reg.TravelBan.Rule, "the listing's measures include a travel ban that binds "+countryName(op.State)
	default:
		base, ban := reg.Duties0(), "the listing carries no travel ban"
		if reg.TravelBan != nil {
			base = reg.TravelBan.Rule
			if hasMeasure(d.Measures, "travel ban") {
				ban = "its travel ban does not reach the border of " + countryName(op.State)
			}
		}
		ev.none(base, d.Authority, joinNotes(fmt.Sprintf("%s A border authority acts only on a travel ban; %s, so %s (%s) has no duty to refuse entry on %s. Asset freezes bind those holding the property, not the border.",
			what, ban, op.Name, op.describe(), on), notes), lowerIf(weakest(extra...)))
		return
	}
	r := e.rules[rule]
	kind := lexscreen.ObligationDenyEntry
	expl := fmt.Sprintf("%s For %s (%s) on %s, %s: %s", what, op.Name, op.describe(), ev.date.Format(dfmt), why, ev.text(rule))
	cs := append([]string{}, extra...)
	if asRisk {
		kind = lexscreen.ObligationRisk
		expl += " " + ev.text(statusRule)
		cs = append(cs, e.ruleConf(statusRule))
	}
	ev.add(kind, rule, r.Authority, "at the border, before admission", joinNotes(expl, notes), lowerIf(weakest(cs...)))
}
