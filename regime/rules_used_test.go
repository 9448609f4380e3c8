package regime

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryRuleIsApplied fails when a rule of the legal data is defined but
// nothing applies it: neither a fact of the data (a regime's duties, risk,
// travel ban or ownership rule; a program's reach, entry, secondary or
// termination rule; a blocking statute's rules; a hostile listing) nor the
// engine's code (a rule id written in a non-test source file) names it.
func TestEveryRuleIsApplied(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	for _, r := range e.regimes {
		for _, du := range r.Duties {
			used[du.Rule] = "regime " + r.ID
		}
		used[r.RiskRule] = "regime " + r.ID
		for _, im := range r.ImplementedBy {
			used[im.Rule] = "regime " + r.ID
			for _, du := range im.Duties {
				used[du.Rule] = "regime " + r.ID
			}
		}
		if r.TravelBan != nil {
			used[r.TravelBan.Rule] = "regime " + r.ID
		}
		if r.Ownership != nil {
			used[r.Ownership.Rule] = "regime " + r.ID
		}
	}
	for _, p := range e.programs {
		for _, id := range []string{p.ReachRule, p.EntryRule, p.SecondaryRule, p.TerminationRule} {
			used[id] = "program " + p.ID
		}
	}
	for _, s := range e.statutes {
		for _, id := range []string{s.DoNotComplyRule, s.NotifyRule, s.AuthorisationRule, s.CoversRule} {
			used[id] = "statute " + s.ID
		}
	}
	for _, h := range e.hostile {
		used[h.Rule] = "hostile listing " + h.Authority
	}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					if _, isRule := e.rules[s]; isRule {
						used[s] = f
					}
				}
			}
			return true
		})
	}
	for _, r := range e.Rules() {
		if used[r.ID] == "" {
			t.Errorf("rule %s (%s) is defined in regime/data but never applied: apply it or remove it", r.ID, r.Title)
		}
	}
}
