package ofac

import (
	"testing"

	"github.com/lexscreen/lexscreen"
)

// A SWIFT/BIC in the remarks is an identifier whether or not it has a
// digit (most have none); prose after the label is not.
func TestRemarksSWIFTBIC(t *testing.T) {
	for _, tc := range []struct {
		remarks string
		want    []string
	}{
		{"SWIFT/BIC VTBRRUMM; Website www.vtb.com; BIK (RU) 044030707", []string{"VTBRRUMM", "044030707"}},
		{"SWIFT/BIC BARCGB22", []string{"BARCGB22"}},
		{"SWIFT/BIC SABRRUMMXXX; alt. SWIFT/BIC SABRRUMM", []string{"SABRRUMMXXX", "SABRRUMM"}},
		{"SWIFT/BIC not known to the public", nil},
		{"SWIFT/BIC sabrrumm", nil},
	} {
		e := &lexscreen.Entity{Schema: lexscreen.SchemaOrganization}
		ParseRemarks(tc.remarks, e)
		var got []string
		for _, id := range e.Identifiers {
			got = append(got, id.Number)
			if id.Label == "SWIFT/BIC" && id.Kind != lexscreen.IDBIC {
				t.Errorf("%q: %s has kind %s, want bic", tc.remarks, id.Number, id.Kind)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: identifiers %v, want %v", tc.remarks, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: identifiers %v, want %v", tc.remarks, got, tc.want)
			}
		}
	}
}
