package sqlpg

import (
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT id FROM alerts WHERE subject_id = ? AND entity_id = ? ORDER BY id DESC LIMIT 1`,
			`SELECT id FROM alerts WHERE subject_id = $1 AND entity_id = $2 ORDER BY id DESC LIMIT 1`},
		{`INSERT INTO t (a, b) VALUES (?, '?')`, `INSERT INTO t (a, b) VALUES ($1, '?')`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT E'\'?', ?`, `SELECT E'\'?', $1`},
		{`SELECT "odd?col" FROM t WHERE x = ?`, `SELECT "odd?col" FROM t WHERE x = $1`},
		{"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{`SELECT /* ? */ ?`, `SELECT /* ? */ $1`},
		{`DO $fn$ BEGIN RAISE '?'; END $fn$; SELECT ?`, `DO $fn$ BEGIN RAISE '?'; END $fn$; SELECT $1`},
		{`SELECT $$?$$, ?`, `SELECT $$?$$, $1`},
		{`SELECT $1`, `SELECT $1`},
		{`SELECT ?` + strings.Repeat(`, ?`, 11), `SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
	} {
		if got := Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// FuzzRebind: rebinding never loses or adds text other than the
// placeholders, and a query without '?' is left as it is.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{`SELECT ? FROM t WHERE a = '?'`, `$$?$$ ?`, "-- ?\n?", `/* ? */ ?`, `E'\\'' ?`, `"a""?" ?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Rebind(s)
		if !strings.Contains(s, "?") {
			if got != s {
				t.Fatalf("changed a query without placeholders: %q -> %q", s, got)
			}
			return
		}
		if strings.Count(got, "?") > strings.Count(s, "?") {
			t.Fatalf("more '?' after rebinding: %q -> %q", s, got)
		}
		if len(got) < len(s) {
			t.Fatalf("text lost: %q -> %q", s, got)
		}
	})
}
