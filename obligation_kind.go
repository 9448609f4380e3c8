package lexscreen

// ObligationKind is what an obligation requires of an operator: block the
// property, reject the transaction, report, arrest ... It is a plain string
// in JSON ("BLOCK"), and an untyped string constant compares with it
// (o.Kind == "BLOCK").
type ObligationKind string

// The kinds of obligation the legal regimes give.
const (
	ObligationBlock              ObligationKind = "BLOCK"                // block (freeze) property and interests: US blocking
	ObligationReject             ObligationKind = "REJECT"               // reject a transaction that is not blocked
	ObligationFreeze             ObligationKind = "FREEZE"               // freeze funds and economic resources: EU, UK, UN
	ObligationReport             ObligationKind = "REPORT"               // report to an authority within a deadline
	ObligationDoNotComply        ObligationKind = "DO_NOT_COMPLY"        // a blocking statute forbids complying with a foreign measure
	ObligationNotify             ObligationKind = "NOTIFY"               // inform an authority
	ObligationArrestAndSurrender ObligationKind = "ARREST_AND_SURRENDER" // a State's duty to arrest and surrender to the ICC
	ObligationDenyEntry          ObligationKind = "DENY_ENTRY"           // refuse entry or transit (travel ban)
	ObligationRisk               ObligationKind = "RISK"                 // no duty, a risk to weigh (secondary sanctions ...)
	ObligationNoLegalEffect      ObligationKind = "NO_LEGAL_EFFECT"      // the match binds the operator to nothing
)

// ObligationKinds lists every kind, in the order above.
var ObligationKinds = []ObligationKind{ObligationBlock, ObligationReject, ObligationFreeze, ObligationReport,
	ObligationDoNotComply, ObligationNotify, ObligationArrestAndSurrender, ObligationDenyEntry, ObligationRisk,
	ObligationNoLegalEffect}

// Valid reports whether k is one of ObligationKinds.
func (k ObligationKind) Valid() bool {
	for _, v := range ObligationKinds {
		if k == v {
			return true
		}
	}
	return false
}
