package names

import (
	"slices"
	"strings"
	"testing"
)

// ယ and ရ are both said "y": a Myanmar name with ယ is also read with r.
func TestMyanmarYaAsRa(t *testing.T) {
	if vs := Variants("ဗလာဒီမီယာ"); !slices.Contains(vs, "baladimira") {
		t.Errorf("Variants(ဗလာဒီမီယာ) = %q, want baladimira among them", vs)
	}
	name := "ရွှေယာ" // writes both ရ and ယ
	if r := strings.ReplaceAll(Fold(name), "y", "r"); r != Fold(name) && slices.Contains(Variants(name), r) {
		t.Errorf("Variants(%s) = %q: a name that writes ရ keeps its y", name, Variants(name))
	}
}
