package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/monitor"
)

// ReevaluateReport says what re-evaluating the obligations of the open
// alerts did.
type ReevaluateReport struct {
	Checked   int              `json:"checked"`   // open alerts evaluated again
	Changed   []int64          `json:"changed"`   // alerts whose obligations changed (updated, noted in their history)
	Unchanged int              `json:"unchanged"` // alerts whose obligations stayed the same
	Failed    map[int64]string `json:"failed"`    // alerts that could not be evaluated, and why (left as they were)
}

// Reevaluate evaluates the obligations of every alert still open (not
// closed by an approved decision, not superseded) again with obligations
// (monitor.Reevaluator): after a change of a legal fact (a warrant's
// status, an overlay, a designation date) the listing and the score stay
// but the duties may not. An alert whose obligations changed gets the new
// ones in its frozen result, a history line saying what changed and an
// audit record; one that can't be evaluated keeps its obligations and
// makes the whole call an error naming it, after the others were done.
func (s *Store) Reevaluate(ctx context.Context, run string, obligations monitor.ObligationsFunc) error {
	rep, err := s.ReevaluateAs(ctx, System("monitor"), run, obligations)
	if err != nil {
		return err
	}
	if len(rep.Failed) > 0 {
		ids := make([]string, 0, len(rep.Failed))
		for id, why := range rep.Failed {
			ids = append(ids, fmt.Sprintf("alert %d: %s", id, why))
		}
		slices.Sort(ids)
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%d open alerts could not be re-evaluated and keep their former obligations: %s",
			len(rep.Failed), strings.Join(ids, "; "))
	}
	return nil
}

var _ monitor.Reevaluator = (*Store)(nil)

// ReevaluateAs is Reevaluate by an actor, with a report.
func (s *Store) ReevaluateAs(ctx context.Context, actor Actor, run string, obligations monitor.ObligationsFunc) (ReevaluateReport, error) {
	rep := ReevaluateReport{Changed: []int64{}, Failed: map[int64]string{}}
	// The open alerts, read before the write.
	rows, err := s.db.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE status NOT IN (?, ?, ?) ORDER BY id`,
		StatusTrueMatch, StatusFalsePositive, StatusSuperseded)
	if err != nil {
		return rep, dbErr(err)
	}
	var open []*Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			rows.Close()
			return rep, dbErr(err)
		}
		open = append(open, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, dbErr(err)
	}
	type update struct {
		a    *Alert
		note string
	}
	var updates []update
	for _, a := range open {
		rep.Checked++
		m := a.Match()
		if m == nil {
			rep.Failed[a.ID] = "its frozen result has no match on " + a.EntityID
			continue
		}
		op := a.Subject.Operator
		if op == "" {
			op = a.Result.Operator
		}
		obl, cs, err := obligations(op, *m)
		if err != nil {
			rep.Failed[a.ID] = err.Error()
			continue
		}
		// The conflicts of this listing change with its obligations; those
		// of the result's other matches stay.
		var before, others []lexscreen.Conflict
		for _, c := range a.Result.Conflicts {
			if c.EntityID == a.EntityID {
				before = append(before, c)
			} else {
				others = append(others, c)
			}
		}
		sameConflicts := sameJSON(before, cs)
		if sameObligations(m.Obligations, obl) && sameConflicts {
			rep.Unchanged++
			continue
		}
		note := fmt.Sprintf("obligations re-evaluated after a change of the legal facts (run %s): %s -> %s",
			run, obligationKinds(m.Obligations), obligationKinds(obl))
		if !sameConflicts {
			note += fmt.Sprintf("; conflicts %d -> %d", len(before), len(cs))
		}
		m.Obligations = obl
		a.Result.Conflicts = append(others, cs...)
		updates = append(updates, update{a, note})
	}
	if len(updates) == 0 {
		return rep, nil
	}
	write := s.write
	if len(updates) > aloneAbove {
		write = s.writeAlone
	}
	err = write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		now := s.now()
		for _, u := range updates {
			res, _ := json.Marshal(u.a.Result)
			if _, err := tx.ExecContext(ctx, `UPDATE alerts SET result = ?, result_hash = NULL, updated = ? WHERE id = ?`, string(res), timeText(now), u.a.ID); err != nil {
				return dbErr(err)
			}
			if err := s.addHistory(ctx, tx, u.a.ID, now, actor, "obligations_reevaluated", "", "", u.note); err != nil {
				return err
			}
			c.act(actor, "alert.obligations_reevaluated", fmt.Sprintf("alert:%d", u.a.ID),
				map[string]any{"run": run, "note": u.note, "obligations": u.a.Match().Obligations})
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	for _, u := range updates {
		rep.Changed = append(rep.Changed, u.a.ID)
	}
	return rep, nil
}

// sameObligations reports whether two lists of obligations say the same.
func sameObligations(a, b []lexscreen.Obligation) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return string(x) == string(y)
}

// obligationKinds is a short list of obligations: "BLOCK (31 CFR 501.603 ...), REPORT (...)", or "none".
func obligationKinds(os []lexscreen.Obligation) string {
	if len(os) == 0 {
		return "none"
	}
	parts := make([]string, len(os))
	for i, o := range os {
		parts[i] = fmt.Sprintf("%s (%s, %s, [%s])", o.Kind, o.Authority, o.Basis, o.Confidence)
	}
	return strings.Join(parts, ", ")
}

// sameJSON reports whether two conflict lists say the same (nil and empty
// alike).
func sameJSON(a, b []lexscreen.Conflict) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
