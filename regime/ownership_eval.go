package regime

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// maxOwnershipDepth bounds the chains followed (A owns B owns C ...); a
// longer chain is cut there and said so.
const maxOwnershipDepth = 12

// holding is one owner's part in an ownership verdict.
type holding struct {
	owner   *ownerNode
	percent float64 // -1: share not given
	control bool    // the source says the owner controls the entity
	of      verdict // the owner's own verdict: listed, or itself blocked by ownership
}

// verdict is what one entity's ownership means under one regime's
// ownership rule on the query date.
type verdict struct {
	listed   bool // the entity is itself listed under the regime (or one it implements)
	root     lexscreen.Designation
	rootNode *ownerNode // the listed entity at the top of the chain
	// blocked: owned or controlled enough by listed persons; basis holds the
	// holdings that decide it.
	blocked bool
	basis   []holding
	// Not enough, but near: owners whose share is not given, who control
	// it (US: control alone does not block), whose shares reach the
	// threshold only added up (EU, UK), or fall short of it.
	unknown, control, aggregate, below []holding
	sum                                float64 // known shares of listed or blocked owners
	confs                              []string
	notes                              []string
	cut                                bool // the chain was longer than maxOwnershipDepth
	// past are the holdings of listed owners not in force on the date
	// (ended, or not yet begun), of the entity screened only.
	past []string
}

// share writes a holding's share: "60%", "share unknown" or "controls it".
func (h holding) share() string {
	switch {
	case h.percent >= 0:
		return strconv.FormatFloat(h.percent, 'f', -1, 64) + "%"
	case h.control:
		return "owned or controlled: share not given"
	}
	return "share unknown"
}

// describe says how the owner comes to count: its listing, or the chain
// that blocks it.
func (h holding) describe(word string) string {
	s := fmt.Sprintf("%s (%s)", h.owner.caption, h.share())
	if h.of.listed {
		d := h.of.root
		s += ", listed by " + d.Authority
		if d.Program != "" {
			s += " under " + d.Program
		}
		if !d.ListedOn.IsZero() {
			s += " since " + d.ListedOn.String()
		} else {
			s += " (listing date not given)"
		}
		return s
	}
	return s + ", itself " + word + ": via " + describeAll(h.of.basis, word)
}

// describeAll describes holdings; word is what the rule makes of an owned
// entity ("blocked by ownership").
func describeAll(hs []holding, word string) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, h.describe(word))
	}
	return strings.Join(parts, "; and via ")
}

// word is what the rule makes of an entity it reaches.
func (r ownershipRule) word() string {
	if r.Control {
		return "frozen as owned or controlled by listed persons"
	}
	return "blocked by ownership"
}

// dateOr writes a date, or the text given when it is zero.
func dateOr(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return t.Format(dfmt)
}

// ownershipRegimes are the regimes with an ownership rule, one per
// jurisdiction, in data order.
func (e *Engine) ownershipRegimes() []*sanctionsRegime {
	var out []*sanctionsRegime
	seen := map[string]bool{}
	for i := range e.regimes {
		r := &e.regimes[i]
		if r.Ownership != nil && r.Jurisdiction != "" && !seen[r.Jurisdiction] {
			seen[r.Jurisdiction] = true
			out = append(out, r)
		}
	}
	return out
}

// listedFor reports whether designation d of entity n lists it, on the
// query date, under a regime of jurisdiction jur that freezes or blocks (its
// own, or one that implements the designating regime: a UN listing in the
// EU and the UK), with the confidences its date adds.
func (ev *evaluation) listedFor(n *ownerNode, d lexscreen.Designation, jur string) (bool, []string, string) {
	e := ev.e
	l := Listing{EntityID: n.id, Source: n.source, Names: []string{n.caption}, Designations: n.designations}
	if e.hostileFor(d, l) != nil {
		return false, nil, ""
	}
	reg := e.regimeFor(d, l)
	if reg == nil {
		return false, nil, ""
	}
	ok := reg.Jurisdiction == jur && reg.Ownership != nil
	for _, im := range reg.ImplementedBy {
		ok = ok || im.Jurisdiction == jur
	}
	if !ok {
		return false, nil, ""
	}
	if !d.ListedOn.IsZero() {
		return !ev.date.Before(d.ListedOn.Earliest()), nil, ""
	}
	if d.Authority == "US-OFAC" {
		if f := e.usFacts(l, d); f != nil {
			if !f.Designated.IsZero() && ev.date.Before(f.Designated.t) {
				return false, nil, ""
			}
			if st := statusAt(f.History, ev.date); st != nil && st.Status == "delisted" {
				return false, nil, ""
			}
			if !f.Designated.IsZero() {
				return true, []string{fact(f.Confidence, fmt.Sprintf("the designation date of %s (%s)", n.caption, f.Designated.t.Format(dfmt)))}, ""
			}
		}
	}
	return true, []string{fact(ConfDerived, "a listing of "+n.caption+" whose date is not given")}, fmt.Sprintf("The listing date of %s is not given: it is taken as already listed on %s [D].", n.caption, ev.date.Format(dfmt))
}

// listedAny reports whether n is listed for jur on the query date.
func (ev *evaluation) listedAny(n *ownerNode, jur string) bool {
	for _, d := range n.designations {
		if ok, _, _ := ev.listedFor(n, d, jur); ok {
			return true
		}
	}
	return false
}

// ownedVerdict works out, under rule r of jurisdiction jur, whether entity
// id is listed or owned or controlled enough by listed persons, following
// the chain of owners up (path holds the entities on the way, against
// cycles).
func (ev *evaluation) ownedVerdict(n *ownerNode, jur string, r ownershipRule, depth int, path map[string]bool) verdict {
	var v verdict
	for _, d := range n.designations {
		if ok, cs, note := ev.listedFor(n, d, jur); ok {
			v.listed, v.root, v.rootNode, v.confs = true, d, n, cs
			if note != "" {
				v.notes = append(v.notes, note)
			}
			return v
		}
	}
	g := ev.l.Ownership
	if depth >= maxOwnershipDepth {
		v.cut = g.owned(n.id)
		return v
	}
	// The best current holding of each owner: the largest share given, and
	// whether the source says it controls the entity.
	best := map[string]*holding{}
	var order []string
	for _, edge := range g.ownersOf(n.id) {
		owner := g.node(edge.owner)
		if owner == nil || path[edge.owner] {
			continue
		}
		if !edge.current(ev.date) {
			if depth == 0 && ev.listedAny(owner, jur) {
				v.past = append(v.past, fmt.Sprintf("%s held %s from %s until %s", owner.caption, holding{percent: edge.percent, control: edge.control}.share(), dateOr(edge.start, "a date not given"), dateOr(edge.end, "a date not given")))
			}
			continue
		}
		h := best[edge.owner]
		if h == nil {
			path[edge.owner] = true
			ov := ev.ownedVerdict(owner, jur, r, depth+1, path)
			delete(path, edge.owner)
			v.cut = v.cut || ov.cut
			if !ov.listed && !ov.blocked {
				continue
			}
			h = &holding{owner: owner, percent: -1, of: ov}
			best[edge.owner] = h
			order = append(order, edge.owner)
		}
		if edge.percent > h.percent {
			h.percent = edge.percent
		}
		h.control = h.control || edge.control
	}
	var largest *holding
	for _, id := range order {
		h := *best[id]
		v.confs = append(v.confs, h.of.confs...)
		v.notes = append(v.notes, h.of.notes...)
		if !h.of.listed {
			v.confs = append(v.confs, fact(ConfDerived, "a holding through "+h.owner.caption+" (an indirect chain of owners)")) // a chain is derived
		}
		switch {
		case h.percent >= 0:
			v.sum += h.percent
			if r.reaches(h.percent) && (largest == nil || h.percent > largest.percent) {
				largest = best[id]
			}
			if !r.reaches(h.percent) {
				v.below = append(v.below, h)
			}
		case h.control:
			v.control = append(v.control, h)
		default:
			v.unknown = append(v.unknown, h)
		}
	}
	switch {
	case largest != nil:
		v.blocked, v.basis = true, []holding{*largest}
	case r.Aggregate && r.reaches(v.sum):
		v.blocked = true
		for _, id := range order {
			if best[id].percent >= 0 {
				v.basis = append(v.basis, *best[id])
			}
		}
	case r.Control && len(v.control) > 0:
		v.blocked, v.basis = true, v.control
	case !r.Aggregate && r.reaches(v.sum):
		v.aggregate = v.below
	}
	if v.blocked {
		v.root, v.rootNode = v.basis[0].of.root, v.basis[0].of.rootNode
	}
	return v
}

// ownership applies the regimes' ownership rules to the listing: an entity
// that is not itself listed under a regime but is owned (or, in the EU and
// the UK, controlled) enough by persons listed under it is blocked or
// frozen all the same; near cases are risks, shortfalls reasons.
func (ev *evaluation) ownership() {
	g := ev.l.Ownership
	if g == nil || ev.op.Role == "border" || ev.op.Role == "authority" || !g.owned(ev.l.EntityID) {
		return
	}
	self := g.node(ev.l.EntityID)
	if self == nil {
		self = &ownerNode{id: ev.l.EntityID, source: ev.l.Source, caption: ev.l.name(), designations: ev.l.Designations}
	}
	for _, reg := range ev.e.ownershipRegimes() {
		v := ev.ownedVerdict(self, reg.Jurisdiction, *reg.Ownership, 0, map[string]bool{self.id: true})
		if v.listed {
			continue // the listing's own designation says what binds
		}
		ev.ownedBy(reg, v)
	}
}

// ownedBy turns one regime's verdict into obligations.
func (ev *evaluation) ownedBy(reg *sanctionsRegime, v verdict) {
	e, op, r := ev.e, ev.op, *reg.Ownership
	on := ev.date.Format(dfmt)
	authority := reg.Authorities[0]
	prog := e.programs[v.root.Program]
	notes := v.notes
	if v.cut {
		notes = append(notes, fmt.Sprintf("The chain of owners is longer than %d links and was followed no further: owners beyond may add to the share.", maxOwnershipDepth))
	}
	cs := append([]string{e.ruleConf(r.Rule)}, v.confs...)
	ok, why, reachRule := e.bound(op, reg.Jurisdiction, prog)
	if !v.blocked {
		ev.ownershipRisk(reg, v, ok, notes, cs)
		return
	}
	word := r.word()
	total := ""
	if len(v.basis) > 1 {
		total = fmt.Sprintf(" (%s%% in the aggregate)", strconv.FormatFloat(v.sum, 'f', -1, 64))
	}
	what := fmt.Sprintf("%s is not itself listed by %s on %s, but is %s, via %s%s.", ev.l.name(), authority, on, word, describeAll(v.basis, word), total)
	notes = append(notes, ev.licenceNotes(v.root, v.rootNode)...)
	if authority == "US-OFAC" {
		// A blocking statute forbids complying with a block by ownership
		// as with any other requirement of the annexed US program.
		defer ev.blocking(v.root, prog, ok, what)
	}
	if !ok {
		if reg.RiskRule != "" {
			ev.add(lexscreen.ObligationRisk, reg.RiskRule, authority, "", joinNotes(fmt.Sprintf("%s %s (%s) is not bound by %s law on %s: %s", what, op.Name, op.describe(), strings.ToUpper(reg.Jurisdiction), on, ev.text(reg.RiskRule)), notes), weakest(append(cs, e.ruleConf(reg.RiskRule))...))
			return
		}
		ev.none(r.Rule, authority, joinNotes(fmt.Sprintf("%s %s law does not reach %s (%s): it is not incorporated, resident, a national or acting there, so this imposes no duty on it on %s.", what, strings.ToUpper(reg.Jurisdiction), op.Name, op.describe(), on), notes), cs...)
		return
	}
	for _, du := range reg.Duties {
		if du.When == "processes_payments" && !op.processesPayments() {
			continue
		}
		kind, rule := du.Kind, du.Rule
		expl := fmt.Sprintf("%s %s is bound because it is %s. ", what, op.Name, why)
		if kind == lexscreen.ObligationBlock || kind == lexscreen.ObligationFreeze {
			rule = r.Rule
			expl += ev.text(r.Rule) + " " + ev.text(du.Rule)
		} else {
			expl += ev.text(rule)
		}
		dcs := append(append([]string{}, cs...), e.ruleConf(du.Rule))
		if reachRule != "" {
			expl += " " + ev.text(reachRule)
			dcs = append(dcs, e.ruleConf(reachRule))
		}
		dl := ev.deadline(du.Rule)
		ev.add(kind, rule, authority, dl, joinNotes(expl, notes), weakest(dcs...))
		basis := e.rules[rule].Citation
		if rule != du.Rule {
			basis += "; " + e.rules[du.Rule].Citation
		}
		if authority == "US-OFAC" {
			basis = programAuthority(prog, v.root.Program, ev.date) + "; " + basis
		}
		ev.setBasis(kind, rule, authority, basis)
	}
}

// ownershipRisk reports what falls short of the rule: a share not given, US
// control without ownership, EU/UK holdings that reach the threshold only
// added up (RISK, for a bound operator), or known shares below the
// threshold (a reason).
func (ev *evaluation) ownershipRisk(reg *sanctionsRegime, v verdict, bound bool, notes, cs []string) {
	r := *reg.Ownership
	authority := reg.Authorities[0]
	on, word := ev.date.Format(dfmt), r.word()
	threshold := fmt.Sprintf("more than %g%%", r.Threshold)
	if r.AtLeast {
		threshold = fmt.Sprintf("%g%% or more", r.Threshold)
	}
	var risks []string
	if len(v.unknown) > 0 {
		risks = append(risks, fmt.Sprintf("it is owned by a listed person, share unknown: via %s. The list does not say how much; a share is not assumed to reach %s, so it is not treated as blocked, but it is if the listed owners hold %s", describeAll(v.unknown, word), threshold, threshold))
		cs = append(cs, fact(ConfDerived, "a holding whose share the list does not give"))
	}
	if len(v.control) > 0 {
		risks = append(risks, fmt.Sprintf("the list says it is owned or controlled by %s. %s's rule covers ownership only, not control: control alone does not block it, but carries designation risk (act with caution), and it is blocked if the listed owners hold %s", describeAll(v.control, word), authority, threshold))
		cs = append(cs, fact(ConfDerived, "ownership or control stated without a share"))
	}
	if len(v.aggregate) > 0 {
		risks = append(risks, fmt.Sprintf("listed persons hold %g%% only when their holdings are added up (via %s); no one of them holds %s. Whether they act jointly is to be assessed case by case", v.sum, describeAll(v.aggregate, word), threshold))
		cs = append(cs, fact(ConfMemory, "whether holdings of several listed persons add up (EU/UK guidance)"))
	}
	if len(risks) > 0 && bound {
		ev.add(lexscreen.ObligationRisk, r.Rule, authority, "", joinNotes(fmt.Sprintf("%s is not itself listed by %s on %s, but %s. %s", ev.l.name(), authority, on, strings.Join(risks, "; and "), ev.text(r.Rule)), notes), weakest(cs...))
		return
	}
	if len(risks) == 0 && len(v.below) == 0 && len(v.past) > 0 {
		ev.none(r.Rule, authority, joinNotes(fmt.Sprintf("%s is not itself listed by %s on %s, and no holding of a listed owner is in force on that date (%s): not blocked or frozen by ownership.",
			ev.l.name(), authority, on, strings.Join(v.past, "; ")), notes), append(cs, ConfDerived)...)
		return
	}
	if len(v.below) > 0 && len(v.aggregate) == 0 {
		ev.none(r.Rule, authority, joinNotes(fmt.Sprintf("%s is not itself listed by %s on %s. Listed persons hold %g%% of it (via %s), short of the %s that would bring it within the freeze under %s: not blocked or frozen by ownership on that date.",
			ev.l.name(), authority, on, v.sum, describeAll(v.below, word), threshold, strings.ToUpper(reg.Jurisdiction)), notes), cs...)
	}
}

// licenceNotes names the general licences in force for the listed owner at
// the top of the chain: whether one reaches the entities it owns depends on
// its terms (GL 9 of the ICC program names them).
func (ev *evaluation) licenceNotes(root lexscreen.Designation, n *ownerNode) []string {
	if root.Authority != "US-OFAC" || n == nil {
		return nil
	}
	f := ev.e.usFacts(Listing{EntityID: n.id, Source: n.source, Names: []string{n.caption}}, root)
	if f == nil {
		return nil
	}
	var out []string
	ids := append([]string(nil), f.GeneralLicences...)
	sort.Strings(ids)
	for _, id := range ids {
		gl := ev.e.licences[id]
		if gl.From.t.After(ev.date) || (!gl.Until.IsZero() && !ev.date.Before(gl.Until.t)) {
			continue
		}
		out = append(out, fmt.Sprintf("General Licence %s (%s) is in force for the listed owner; it reaches the entities it owns only if its terms say so. %s",
			strings.TrimPrefix(gl.ID, "GL"), gl.Scope, ev.text("us-general-licence")))
	}
	return out
}
