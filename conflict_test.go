package lexscreen

import (
	"encoding/json"
	"strings"
	"testing"
)

// Results recorded before conflicts were objects hold strings: they still
// decode (the text becomes the explanation), and objects round-trip.
func TestConflictJSON(t *testing.T) {
	var old Result
	if err := json.Unmarshal([]byte(`{"conflicts": ["us-ofac-sdn:306: US law requires ... seek an authorisation"]}`), &old); err != nil {
		t.Fatal(err)
	}
	if len(old.Conflicts) != 1 || !strings.HasPrefix(old.Conflicts[0].Explanation, "us-ofac-sdn:306: US law") {
		t.Errorf("legacy conflict read as %+v", old.Conflicts)
	}
	c := Conflict{EntityID: "us-ofac-sdn:13285", Name: "NATIONAL IRANIAN OIL COMPANY",
		Duties: []ConflictDuty{{Kind: "BLOCK", Rule: "us-block", Authority: "US-OFAC", Basis: "31 CFR 560.215", Confidence: "M"},
			{Kind: "DO_NOT_COMPLY", Rule: "eu-blocking-art5", Authority: "European Commission", Basis: "Reg 2271/96 art. 5(1)", Confidence: "V"}},
		Explanation: "both stand", Confidence: "M",
		WaysOut: []WayOut{{What: "an authorisation to comply", From: "European Commission", Rule: "eu-blocking-art5-2", Basis: "Reg 2271/96 art. 5(2)", Confidence: "V"},
			{What: "a specific licence", From: "OFAC", Rule: "us-specific-licence", Basis: "31 CFR 501.801(b)", Confidence: "M"}}}
	b, _ := json.Marshal(c)
	var back Conflict
	if err := json.Unmarshal(b, &back); err != nil || back.Duties[1].Rule != "eu-blocking-art5" || back.WaysOut[1].From != "OFAC" {
		t.Errorf("round trip: %v %+v", err, back)
	}
	if err := json.Unmarshal([]byte(`42`), &back); err == nil {
		t.Error("a number read as a conflict")
	}
	// The text names both duties, the ways out, and marks an [M] way out unconfirmed.
	txt := c.Text("  ")
	for _, want := range []string{"BLOCK by US-OFAC", "vs DO_NOT_COMPLY by European Commission", "Ways out:", "from European Commission (Reg 2271/96 art. 5(2)) [V]", "[M, UNCONFIRMED]"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
}
