package regime

import "testing"

// The facts hash names the data: the same data gives the same hash, an
// overlay (a warrant's new status) another.
func TestFactsHash(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load()
	if a.FactsHash() != b.FactsHash() || len(a.FactsHash()) != 64 {
		t.Fatalf("same data, hashes %q and %q", a.FactsHash(), b.FactsHash())
	}
	c, err := LoadNamed([]string{"what-if.yaml"}, [][]byte{[]byte("blocking_statutes: []\n")})
	if err != nil {
		t.Fatal(err)
	}
	if c.FactsHash() == a.FactsHash() {
		t.Fatal("an overlay left the facts hash unchanged")
	}
}
