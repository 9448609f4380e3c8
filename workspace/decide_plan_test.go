package workspace

import (
	"context"
	"strings"
	"testing"
)

// Every read of an approval and of the store's four-eyes triggers finds
// the alert's decisions by index: a scan of the decisions table made each
// approval slower as decisions accumulated (200 four-eyes cycles a second
// under lexload fell behind within a minute).
func TestDecisionReadsUseAnIndex(t *testing.T) {
	f := newFixture(t)
	queries := map[string]string{
		"the pending decision (Check)":         `SELECT id FROM decisions WHERE alert_id = ? AND state = ? ORDER BY id`,
		"an alert's decisions (Alert, export)": `SELECT id FROM decisions WHERE alert_id = ? ORDER BY id`,
		"trigger alerts_close_on_approval": `SELECT 1 FROM decisions d WHERE d.alert_id = ? AND d.state = 'approved' AND d.checker <> d.maker
			AND d.outcome = 'false_positive'`,
		"a decision's attachments": `SELECT id FROM attachments WHERE decision_id = ? ORDER BY id`,
		"an alert's comments":      `SELECT id FROM comments WHERE alert_id = ? ORDER BY id`,
	}
	for what, q := range queries {
		rows, err := f.s.DB().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, 1, "pending")
		if err != nil {
			// The same query with one parameter fewer.
			rows, err = f.s.DB().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, 1)
		}
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		if !strings.Contains(joined, "SEARCH") || !strings.Contains(joined, "INDEX") || strings.Contains(joined, "SCAN ") {
			t.Errorf("%s: plan %q, want a search by index", what, joined)
		}
	}
}
