package payments

import (
	"fmt"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Decision is what to do with a payment, or because of one party of it.
type Decision string

// Decisions, from the least to the most strict.
const (
	Pass   Decision = "pass"   // nothing listed, or listed with no duty for the operator that stops the payment
	Hold   Decision = "hold"   // hold for review: a human must decide (conflicting duties, risk, a gap in the legal data, no operator)
	Reject Decision = "reject" // the law requires the payment be refused (e.g. 31 CFR 501.604)
	Block  Decision = "block"  // the law requires the funds be blocked or frozen
)

// rank orders decisions by strictness.
func (d Decision) rank() int {
	switch d {
	case Hold:
		return 1
	case Reject:
		return 2
	case Block:
		return 3
	}
	return 0
}

// Stricter returns the stricter of two decisions.
func Stricter(a, b Decision) Decision {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// noRuleCitation is the citation of the obligation the legal layer gives
// when no rule of its data covers a listing: a gap, never a pass.
const noRuleCitation = "none: lexscreen's regime data holds no rule"

// decideMatch turns one match's obligations and conflicts into a decision
// and a sentence saying why. regimes says whether the law was applied.
func decideMatch(m lexscreen.Match, conflicts []lexscreen.Conflict, regimes bool) (Decision, string) {
	if !regimes {
		return Hold, "no operator given, so the law was not applied: review the match"
	}
	if len(conflicts) > 0 {
		return Hold, "the law imposes conflicting duties (" + clip(conflicts[0].Explanation, 300) + "): a human must decide; lexscreen does not resolve conflicts"
	}
	d, why := Pass, ""
	kinds := map[lexscreen.ObligationKind]bool{}
	for _, o := range m.Obligations {
		kinds[o.Kind] = true
	}
	step := func(nd Decision, reason string) {
		if nd.rank() > d.rank() {
			d, why = nd, reason
		}
	}
	for _, o := range m.Obligations {
		switch o.Kind {
		case "BLOCK", "FREEZE":
			step(Block, fmt.Sprintf("%s: %s (%s)", o.Kind, o.Basis, o.Authority))
		case "REJECT":
			step(Reject, fmt.Sprintf("REJECT: %s (%s)", o.Basis, o.Authority))
		case "NO_LEGAL_EFFECT":
			if strings.HasPrefix(o.Basis, noRuleCitation) {
				step(Hold, "no rule of lexscreen's legal data covers this listing (a gap in the data, not a finding): review it")
			}
		case "DO_NOT_COMPLY", "NOTIFY":
			// The listing may not be complied with: the payment is not
			// stopped for it, and the notification is a duty that remains.
		default: // RISK, REPORT alone, DENY_ENTRY, ARREST_AND_SURRENDER, kinds added later
			step(Hold, fmt.Sprintf("%s (%s): not a duty to stop the payment, but one a human must weigh", o.Kind, o.Authority))
		}
	}
	if d == Pass {
		switch {
		case kinds["DO_NOT_COMPLY"]:
			why = "a blocking statute forbids complying with this listing: do not stop the payment for it; the notification it requires remains due"
		case len(m.Obligations) == 0:
			d, why = Hold, "the legal layer returned no answer for this match: review it"
		default:
			why = "listed, but binding no duty on the operator on this date (see the obligations' reasons)"
		}
	}
	return d, why
}
