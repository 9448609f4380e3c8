package regime

import (
	"strings"
	"testing"
)

// Only the Court's custody (and a judgment given there), a withdrawn warrant
// or the person's death end the duty to arrest and surrender. A State's
// arrest leaves its duty to surrender (art. 59(7): the person "shall be
// delivered to the Court as soon as possible"; art. 89(1)); a release
// leaves the warrant outstanding.
func TestWarrantCustody(t *testing.T) {
	gbagbo := warrant("gbagbo-laurent", "Laurent Gbagbo", "Côte d'Ivoire", "ICC-02/11", "2011-11-23",
		"2011-11-23 at_large [V]", "2011-11-29 arrested_by_state CI [M]", "2011-11-30 in_icc_custody [V]", "2019-01-15 acquitted [V]")
	elHishri := warrant("el-hishri-khaled-mohamed-ali", "Khaled Mohamed Ali El Hishri", "Libya", "ICC-01/11", "2025-07-10",
		"2025-07-10 at_large [V]", "2025-07-16 arrested_by_state DE [V]", "2025-12-01 in_icc_custody [V]")
	deif := warrant("deif-mohammed", "Mohammed Deif", "State of Palestine", "ICC-01/18", "2024-11-21",
		"2024-11-21 at_large [V]", "2025-02-26 withdrawn [V-2nd]")
	oddStatus := warrant("someone", "Some One", "Ukraine", "ICC-01/22", "2024-06-24",
		"2024-06-24 at_large [V]", "2025-06-01 in_custody [V]")
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		op, date string
		l        Listing
		want     bool
		inText   string
		why      string
	}{
		{"border:DE", "2025-07-15", elHishri, true, "at large", "warrant of 2025-07-10, not yet arrested"},
		{"border:DE", "2025-08-01", elHishri, true, "art. 59(7)", "Germany holds him: its duty to surrender runs until his transfer"},
		{"border:FR", "2025-08-01", elHishri, true, "arrested by Germany", "another State Party: the warrant is still outstanding"},
		{"border:DE", "2025-12-01", elHishri, false, "", "transferred to the Court on 2025-12-01"},
		{"border:IT", "2025-01-20", elmasry, true, "surrender is pending", "Italy held him: surrender pending (the act the ICC found non-compliant)"},
		{"border:IT", "2025-01-22", elmasry, true, "released", "released to Libya: the warrant stands"},
		{"border:PH", "2025-03-11", duterte, true, "arrested by Philippines", "arrested in Manila, not yet surrendered: art. 127(2) duty runs"},
		{"border:PH", "2025-03-12", duterte, false, "", "surrendered to the Court on 2025-03-12"},
		{"border:NL", "2011-11-29", gbagbo, true, "arrested by", "held by Côte d'Ivoire, not yet in The Hague"},
		{"border:NL", "2012-01-01", gbagbo, false, "", "in the Court's custody"},
		{"border:NL", "2019-02-01", gbagbo, false, "", "acquitted while in the Court's hands"},
		{"border:NL", "2025-03-01", deif, false, "", "warrant withdrawn"},
		{"border:NL", "2025-07-01", oddStatus, true, "does not say", "a bare in_custody does not say the Court holds him: fail closed"},
	} {
		op, err := ParseOperator(c.op)
		if err != nil {
			t.Fatal(err)
		}
		obs, _, err := e.Evaluate(op, d(c.date), c.l)
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, o := range obs {
			if o.Kind == "ARREST_AND_SURRENDER" {
				got = true
				if !strings.Contains(o.Explanation+" "+o.Deadline, c.inText) {
					t.Errorf("%s %s %s: explanation lacks %q: %s / %s", c.op, c.date, c.l.name(), c.inText, o.Explanation, o.Deadline)
				}
			}
		}
		if got != c.want {
			t.Errorf("%s %s %s: ARREST_AND_SURRENDER = %v, want %v (%s): %v", c.op, c.date, c.l.name(), got, c.want, c.why, summary(obs))
		}
	}
}

func TestWarrantOverlayStatus(t *testing.T) {
	if _, err := Load([]byte("warrants:\n  - {entity_id: \"icc-warrants:x\", history: [{date: 2027-01-01, status: in_custody}]}\n")); err == nil ||
		!strings.Contains(err.Error(), "whose custody") {
		t.Errorf("bare in_custody: want an error asking whose custody, got %v", err)
	}
	e, err := Load([]byte("warrants:\n  - {entity_id: \"icc-warrants:putin-vladimir-vladimirovich\", history: [{date: 2027-01-01, status: arrested_by_state, state: MN}]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	op, _ := ParseOperator("border:MN")
	obs, _, _ := e.Evaluate(op, d("2027-02-01"), putinICC)
	found := false
	for _, o := range obs {
		if o.Kind == "ARREST_AND_SURRENDER" {
			found = true
			if !strings.Contains(o.Deadline, "59(7)") || !strings.Contains(o.Explanation, "arrested by Mongolia") {
				t.Errorf("holding State: %s / %s", o.Deadline, o.Explanation)
			}
		}
	}
	if !found {
		t.Errorf("Mongolia holding Putin must surrender him: %v", summary(obs))
	}
}
