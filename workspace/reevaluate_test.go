package workspace

import (
	"context"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// A changed legal fact re-evaluates the obligations of the open alerts
// only: the changed ones get the new obligations, a history line and an
// audit record; closed alerts keep what they were decided on; an alert
// that can't be evaluated is named, not skipped silently.
func TestReevaluateObligations(t *testing.T) { onEachBackend(t, testReevaluateObligations) }

func testReevaluateObligations(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	bout := boutEntity()
	open := f.found(t, "run-1", subject("C-1", "Viktor Bout", "1967-01-13"), bout).Opened[0]
	closed := f.found(t, "run-1", subject("C-2", "Victor Boutov", "1967-01-13"), bout).Opened[0]
	if _, err := f.s.Decide(ctx, analyst, closed, DecisionInput{Outcome: OutcomeTrueMatch, Reason: "same passport"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Check(ctx, approver, closed, true, ""); err != nil {
		t.Fatal(err)
	}
	// Same facts: nothing changes.
	same := func(op string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		return m.Obligations, nil, nil
	}
	rep, err := f.s.ReevaluateAs(ctx, System("test"), "facts-0", same)
	if err != nil || rep.Checked != 1 || rep.Unchanged != 1 || len(rep.Changed) != 0 {
		t.Fatalf("same facts: %+v %v", rep, err)
	}
	// A general licence now authorises dealings: REPORT instead of BLOCK.
	var asked []string
	licensed := func(op string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		asked = append(asked, op)
		return []lexscreen.Obligation{{Kind: "REPORT", Authority: "US-OFAC", Basis: "31 CFR 501.604", Source: "ofac.treasury.gov", Confidence: "V"}}, nil, nil
	}
	if err := f.s.Reevaluate(ctx, "facts-1", licensed); err != nil {
		t.Fatal(err)
	}
	if strings.Join(asked, ",") != "us-bank" {
		t.Errorf("evaluated for operators %v, want the alert's us-bank", asked)
	}
	a, err := f.s.Alert(ctx, open)
	if err != nil {
		t.Fatal(err)
	}
	if m := a.Match(); len(m.Obligations) != 1 || m.Obligations[0].Kind != "REPORT" {
		t.Fatalf("open alert's obligations: %+v", m.Obligations)
	}
	last := a.History[len(a.History)-1]
	if last.Action != "obligations_reevaluated" || !strings.Contains(last.Note, "BLOCK") || !strings.Contains(last.Note, "REPORT") {
		t.Errorf("history: %+v", last)
	}
	c, _ := f.s.Alert(ctx, closed)
	if c.Match().Obligations[0].Kind != "BLOCK" {
		t.Errorf("a closed alert was re-evaluated: %+v", c.Match().Obligations)
	}
	// A new conflict on the listing (an overlay annexing its program) is
	// kept in the alert's result with the obligations, not left stale.
	conflicted := func(op string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		return []lexscreen.Obligation{{Kind: "BLOCK", Authority: "US-OFAC", Basis: "EO 13224", Source: "ofac.treasury.gov", Confidence: "V"},
				{Kind: "DO_NOT_COMPLY", Authority: "EU", Basis: "Reg. 2271/96 art. 5", Source: "eur-lex", Confidence: "V"}},
			[]lexscreen.Conflict{{EntityID: m.Entity.ID, Name: m.Entity.Name, Explanation: "US block against EU prohibition", Confidence: "V"}}, nil
	}
	if err := f.s.Reevaluate(ctx, "facts-1b", conflicted); err != nil {
		t.Fatal(err)
	}
	if a, _ = f.s.Alert(ctx, open); len(a.Result.Conflicts) != 1 || a.Result.Conflicts[0].EntityID != a.EntityID {
		t.Fatalf("conflicts after re-evaluation: %+v", a.Result.Conflicts)
	}
	if last := a.History[len(a.History)-1]; !strings.Contains(last.Note, "conflicts 0 -> 1") {
		t.Errorf("history does not say the conflicts changed: %+v", last)
	}
	// A failure names the alert and leaves it as it was.
	broken := func(string, lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "unknown operator profile")
	}
	err = f.s.Reevaluate(ctx, "facts-2", broken)
	if err == nil || !strings.Contains(err.Error(), "alert ") {
		t.Fatalf("failed re-evaluation: %v", err)
	}
}
