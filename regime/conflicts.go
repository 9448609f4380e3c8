package regime

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// specificLicenceRule is the rule of an OFAC specific licence, the US way
// out of a conflict with a blocking statute.
const specificLicenceRule = "us-specific-licence"

// checkInterests refuses an operator whose interests_affected names a
// program neither the US program data nor any blocking statute's Annex
// knows: it would silently never match.
func (e *Engine) checkInterests(op Operator) error {
	for _, p := range op.InterestsAffected {
		if p == InterestsAll || p == InterestsNone {
			continue
		}
		if _, ok := e.programs[p]; ok {
			continue
		}
		known := false
		for _, st := range e.statutes {
			for _, a := range st.Annex {
				known = known || a.Program == p
			}
		}
		if !known {
			return lexscreen.Errorf(lexscreen.EINVALID, "interests_affected: unknown program %q: want all, none, or US program tags of annexed laws such as IRAN, CUBA", p)
		}
	}
	return nil
}

// interestsAffected says whether the operator's economic or financial
// interests are affected by the annexed law of a listing's program (Reg.
// 2271/96 art. 2), and why: as its profile says; when the profile does not
// say, presumed for a screening's match (a party the operator deals with)
// and not presumed for an entry of an exposure report.
func (ev *evaluation) interestsAffected(d lexscreen.Designation, prog usProgram) (bool, string) {
	ia := ev.op.InterestsAffected
	switch {
	case slices.Contains(ia, InterestsNone):
		return false, fmt.Sprintf("the operator profile of %s says no annexed law affects its economic or financial interests (interests_affected: [none])", ev.op.Name)
	case slices.Contains(ia, InterestsAll):
		return true, fmt.Sprintf("the operator profile of %s says the annexed laws affect its economic or financial interests (interests_affected: [all])", ev.op.Name)
	case slices.Contains(ia, d.Program) || (prog.ID != "" && slices.Contains(ia, prog.ID)):
		return true, fmt.Sprintf("the operator profile of %s says the %s laws affect its economic or financial interests", ev.op.Name, d.Program)
	case len(ia) > 0:
		return false, fmt.Sprintf("the operator profile of %s names the programs whose laws affect its interests (%s), and %s is not one of them", ev.op.Name, strings.Join(ia, ", "), d.Program)
	case ev.counterparty:
		return true, fmt.Sprintf("%s is screened as a party %s deals with, so the annexed law's bearing on that party is presumed to affect its interests (a profile may say otherwise: interests_affected)", ev.l.name(), ev.op.Name)
	}
	return false, fmt.Sprintf("the operator profile of %s does not say that an annexed law affects its economic or financial interests, and an exposure report does not show any dealing with this listing (set interests_affected in the profile when they are)", ev.op.Name)
}

// notify gives the blocking statute's duty to inform (art. 2) where the
// operator's interests are affected; elsewhere a RISK saying when the duty
// would arise, so that no NOTIFY is issued for a listing that touches no
// interest of the operator.
func (ev *evaluation) notify(st blockingStatute, in *annexEntry, d lexscreen.Designation, prog usProgram, base string, facts ...string) {
	affected, why := ev.interestsAffected(d, prog)
	if affected {
		ev.add(lexscreen.ObligationNotify, st.NotifyRule, st.Authority, ev.deadline(st.NotifyRule),
			fmt.Sprintf("%s The duty to inform arises because %s. %s", base, why, ev.text(st.NotifyRule)), facts...)
		return
	}
	ev.add(lexscreen.ObligationRisk, st.NotifyRule, st.Authority, "",
		fmt.Sprintf("%s No duty to inform %s is derived: %s. The duty arises only where the annexed law affects, directly or indirectly, the person's economic or financial interests (e.g. a payment refused, a contract ended, a demand received because of it): then inform within 30 days of learning it. %s",
			base, st.Authority, why, ev.text(st.NotifyRule)), append(facts, fact(ConfDerived, "whether the operator's interests are affected (presumed from its profile)"))...)
}

// conflict records the conflict between the US duties a listing gives a
// US-bound operator and a blocking statute's prohibition to comply, with
// the ways out: the statute's authorisation to comply and an OFAC specific
// licence.
func (ev *evaluation) conflict(st blockingStatute, d lexscreen.Designation, prog usProgram) {
	e, op := ev.e, ev.op
	var duties []lexscreen.ConflictDuty
	var usKinds []string
	var dnc *lexscreen.ConflictDuty
	for i, o := range ev.obs {
		r := ev.rules[i]
		switch {
		case o.Authority == d.Authority && (o.Kind == lexscreen.ObligationBlock || o.Kind == lexscreen.ObligationReject || o.Kind == lexscreen.ObligationReport):
			duties = append(duties, lexscreen.ConflictDuty{Kind: o.Kind, Rule: r, Authority: o.Authority, Basis: o.Basis, Confidence: o.Confidence})
			usKinds = append(usKinds, strings.ToLower(string(o.Kind)))
		case o.Kind == lexscreen.ObligationDoNotComply && r == st.DoNotComplyRule:
			dnc = &lexscreen.ConflictDuty{Kind: o.Kind, Rule: r, Authority: o.Authority, Basis: o.Basis, Confidence: o.Confidence}
		}
	}
	if len(duties) == 0 || dnc == nil {
		return // nothing on one side: no conflict to report
	}
	duties = append(duties, *dnc)
	usLaw := d.Program
	if prog.Authority != "" {
		usLaw += ", " + prog.Authority
	}
	if r, ok := e.rules[prog.ReachRule]; ok && op.Incorporation != "US" {
		usLaw += ", reaching it under " + r.Citation
	}
	expl := fmt.Sprintf("US law (%s) requires %s to %s as to %s, while %s forbids it to comply, directly or through a subsidiary or intermediary, with any requirement of %s. lexscreen does not resolve the conflict: both duties stand until one of the ways out is granted; take legal advice.",
		usLaw, op.Name, strings.Join(usKinds, ", "), ev.l.name(), st.ID, d.Program)
	var ways []lexscreen.WayOut
	if r, ok := e.rules[st.AuthorisationRule]; ok {
		ways = append(ways, lexscreen.WayOut{What: "an authorisation to comply, fully or partially, with " + d.Program + " (granted where non-compliance would seriously damage the interests of the person or of the Union/UK)",
			From: st.Authority, Rule: r.ID, Basis: r.Citation, Source: r.Source, Confidence: r.Confidence})
	}
	if r, ok := e.rules[specificLicenceRule]; ok {
		ways = append(ways, lexscreen.WayOut{What: "a specific licence authorising the dealing the US program prohibits (so that nothing need be blocked or rejected)",
			From: "OFAC (US Department of the Treasury)", Rule: r.ID, Basis: r.Citation, Source: r.Source, Confidence: r.Confidence})
	}
	cs := make([]string, len(duties))
	for i, du := range duties {
		cs[i] = du.Confidence
	}
	ev.conf = append(ev.conf, lexscreen.Conflict{EntityID: ev.l.EntityID, Name: ev.l.name(), Duties: duties,
		Explanation: expl, WaysOut: ways, Confidence: weakest(cs...)})
}
