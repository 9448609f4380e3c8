package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/regime"
)

// The obligations report on the bundled lists, for a US-owned EU bank whose
// profile says the Cuba laws affect its interests: the Iran and Cuba
// listings it is bound by and forbidden to comply with are counted once, in
// conflict, by list and program; NOTIFY only for the Cuba ones; the first
// conflict (natural order: sdn:36 before sdn:10635) shown with its ways out;
// the lists evaluated named. (One run: the report covers 28,000 listings;
// the sections and their order are tested on small data in regime.)
func TestObligationsReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lists(t, dir)
	prof := filepath.Join(t.TempDir(), "acme.yaml")
	os.WriteFile(prof, []byte("name: acme-paris\nrole: bank\nincorporation: FR\nparent: {country: US}\nacts_in: [FR]\ninterests_affected: [CUBA]\n"), 0o644)
	out, errOut, code := lex(t, dir, "obligations", "--operator", prof, "--date", "2026-01-15")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	section := func(title string) string {
		m := regexp.MustCompile(`\n` + regexp.QuoteMeta(title) + `[^\n]*: ([0-9,]+) listings\n((?:  .*\n)*)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no section %q:\n%s", title, out)
		}
		return m[2]
	}
	conflicts := section("In conflict")
	for _, want := range []string{"us-ofac-sdn / CUBA [BLOCK, DO_NOT_COMPLY, NOTIFY, REJECT, REPORT]", "us-ofac-sdn / IRAN [BLOCK, DO_NOT_COMPLY, REJECT, REPORT, RISK]"} {
		if !strings.Contains(conflicts, want) {
			t.Errorf("in conflict lacks %q:\n%s", want, conflicts)
		}
	}
	if strings.Contains(section("Binding"), "us-ofac-sdn /") {
		t.Errorf("conflicted OFAC listings also counted as binding:\n%s", out)
	}
	for _, want := range []string{"Lists evaluated: eu-fsf", "us-ofac-sdn 2025-12-24", "first (--details shows each):\n  us-ofac-sdn:36  AEROCARIBBEAN AIRLINES",
		"vs DO_NOT_COMPLY by European Commission (rule eu-blocking-art5", "from European Commission (Reg 2271/96 art. 5(2)", "from OFAC (US Department of the Treasury)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// The overlay diff labels each listing with its one section.
func TestExposureChanges(t *testing.T) {
	it := func(id string) regime.Item { return regime.Item{EntityID: id, Name: "X"} }
	before := regime.Report{Binding: []regime.Item{it("us-ofac-sdn:10"), it("us-ofac-sdn:9")}, RiskOnly: []regime.Item{it("us-ofac-sdn:100")}}
	after := regime.Report{InConflict: []regime.Item{it("us-ofac-sdn:10")}, Binding: []regime.Item{it("us-ofac-sdn:9")}, MustNotComply: []regime.Item{it("us-ofac-sdn:100")},
		DateUnknown: []regime.Item{it("us-ofac-sdn:2")}}
	got := exposureChanges(before, after)
	want := []string{"us-ofac-sdn:2 X: nothing required -> date unknown", "us-ofac-sdn:10 X: binding -> in conflict", "us-ofac-sdn:100 X: risk only -> must not comply"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
