package server

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// A US-owned subsidiary in the EU or the UK screening a Cuban state bank is
// bound by the CACR (31 CFR 515.329) and forbidden to comply by the blocking
// statute: the JSON of /v1/screen and of a batch line carries the conflict
// as an object: the duties with their rules, and the ways out, from the
// Commission in the EU and the Secretary of State in the UK, and OFAC.
func TestScreenConflictObjects(t *testing.T) {
	e := newEnv(t, Config{})
	ukSub := `"operator_profile": {"name": "acme-london", "role": "bank", "incorporation": "GB", "parent": {"country": "US"}, "acts_in": ["GB"]}`
	for _, tc := range []struct {
		body, authoriser, authRule, dncRule string
	}{
		{`{"name": "Banco Nacional de Cuba", "operator": "eu-subsidiary-of-us-bank", "date": "2025-12-30", "current_lists": true}`,
			"European Commission", "eu-blocking-art5-2", "eu-blocking-art5"},
		{`{"name": "Banco Nacional de Cuba", ` + ukSub + `, "date": "2025-12-30", "current_lists": true}`,
			"Secretary of State (UK)", "uk-blocking-authorisation", "uk-blocking"},
	} {
		var res lexscreen.Result
		r := e.post("/v1/screen", "screener", tc.body)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", tc.body, r.status, r.body)
		}
		r.json(t, &res)
		var batch lexscreen.Result
		e.post("/v1/screen/batch", "screener", tc.body+"\n").json(t, &batch)
		for name, res := range map[string]lexscreen.Result{"screen": res, "batch": batch} {
			if len(res.Conflicts) == 0 {
				t.Fatalf("%s %s: no conflict: %s", name, tc.authoriser, r.body)
			}
			c := res.Conflicts[0]
			rules := map[string]string{}
			for _, d := range c.Duties {
				rules[string(d.Kind)] = d.Rule
				if d.Basis == "" || d.Confidence == "" {
					t.Errorf("%s: duty without basis or confidence: %+v", name, d)
				}
			}
			if rules["BLOCK"] != "us-block" || rules["DO_NOT_COMPLY"] != tc.dncRule || c.EntityID != "us-ofac-sdn:306" || c.Explanation == "" {
				t.Errorf("%s %s: conflict %+v", name, tc.authoriser, c)
			}
			froms := map[string]string{}
			for _, w := range c.WaysOut {
				froms[w.From] = w.Rule
				if w.Basis == "" || w.Confidence == "" || w.Source == "" {
					t.Errorf("%s: way out without citation, source or confidence: %+v", name, w)
				}
			}
			if froms[tc.authoriser] != tc.authRule || froms["OFAC (US Department of the Treasury)"] != "us-specific-licence" || len(froms) != 2 {
				t.Errorf("%s %s: ways out %+v", name, tc.authoriser, c.WaysOut)
			}
		}
	}
	// The OpenAPI document describes the new shape.
	doc := string(e.get("/openapi.json", "").body)
	for _, want := range []string{`"Conflict"`, `"ways_out"`, `"WayOut"`, `"in_conflict"`, `"date_unknown"`, `"interests_affected"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("openapi.json lacks %s", want)
		}
	}
}
