package lexscreen

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Conflict is a set of obligations one operator cannot all meet because of
// one listing (a US duty to block that a blocking statute forbids it to
// comply with). lexscreen reports a conflict, never resolves it: it names
// the duties, the rules they rest on, why they collide, and the ways out
// the law provides, each with its citation and confidence.
type Conflict struct {
	EntityID    string         `json:"entity_id" doc:"the listing the conflict arises from"`
	Name        string         `json:"name" doc:"the listed name"`
	Duties      []ConflictDuty `json:"duties" doc:"the obligations in conflict, each with its rule and legal basis"`
	Explanation string         `json:"explanation" doc:"why the duties cannot all be met"`
	WaysOut     []WayOut       `json:"ways_out" doc:"what lawfully ends the conflict (an authorisation, a licence), each with its citation and confidence"`
	Confidence  string         `json:"confidence" doc:"the weakest confidence of the duties it joins: V, V-2nd, D or M"`
}

// ConflictDuty is one obligation in a conflict: its kind, the rule of the
// legal data it rests on and that rule's citation.
type ConflictDuty struct {
	Kind       ObligationKind `json:"kind" doc:"BLOCK, REJECT, REPORT, DO_NOT_COMPLY ..."`
	Rule       string         `json:"rule" doc:"id of the rule in the legal data (lexscreen regimes)"`
	Authority  string         `json:"authority"`
	Basis      string         `json:"basis" doc:"legal basis cited"`
	Confidence string         `json:"confidence" doc:"V, V-2nd, D or M"`
}

// WayOut is a lawful way out of a conflict: who may grant what, under which
// provision.
type WayOut struct {
	What       string `json:"what" doc:"e.g. an authorisation to comply, a specific licence"`
	From       string `json:"from" doc:"who grants it"`
	Rule       string `json:"rule" doc:"id of the rule in the legal data"`
	Basis      string `json:"basis" doc:"legal basis cited"`
	Source     string `json:"source"`
	Confidence string `json:"confidence" doc:"V, V-2nd, D or M; M is unconfirmed"`
}

// UnmarshalJSON reads a conflict, also in the free-text form of results
// recorded before conflicts were structured (a JSON string, kept as the
// explanation), so that old audit records still replay.
func (c *Conflict) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = Conflict{Explanation: s}
		return nil
	}
	type plain Conflict
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = Conflict(p)
	return nil
}

// String renders the conflict for a reader, on several lines, each starting
// with indent.
func (c Conflict) String() string { return c.Text("") }

// Text renders the conflict on several lines, each starting with indent.
func (c Conflict) Text(indent string) string {
	var b strings.Builder
	head := strings.TrimSpace(c.EntityID + "  " + c.Name)
	if head == "" {
		head = "(listing not recorded)"
	}
	fmt.Fprintf(&b, "%s%s\n", indent, head)
	for i, d := range c.Duties {
		sep := "   "
		if i > 0 {
			sep = "vs "
		}
		fmt.Fprintf(&b, "%s  %s%s by %s (rule %s; %s) [%s]\n", indent, sep, d.Kind, d.Authority, d.Rule, d.Basis, d.Confidence)
	}
	if c.Explanation != "" {
		fmt.Fprintf(&b, "%s  Why: %s\n", indent, c.Explanation)
	}
	if len(c.WaysOut) > 0 {
		fmt.Fprintf(&b, "%s  Ways out:\n", indent)
		for _, w := range c.WaysOut {
			mark := ""
			if w.Confidence == "M" {
				mark = ", UNCONFIRMED"
			}
			fmt.Fprintf(&b, "%s    - %s, from %s (%s) [%s%s]\n", indent, w.What, w.From, w.Basis, w.Confidence, mark)
		}
	}
	return b.String()
}
