package regime

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// factsHash accumulates a SHA-256 of the legal data an Engine was built
// from: every embedded data file and every overlay, in order.
type factsHash struct {
	parts []string
}

func (f *factsHash) add(name string, b []byte) {
	sum := sha256.Sum256(b)
	f.parts = append(f.parts, fmt.Sprintf("%s %x", name, sum))
}

// FactsHash is a hash of the legal facts this Engine answers with (its
// embedded data files and the overlays applied): when it changes, the
// obligations of a match may change although the listing did not (a
// warrant's status, a new overlay, a designation date), and the
// obligations of open alerts are evaluated again (lexscreen monitor).
func (e *Engine) FactsHash() string {
	h := sha256.New()
	for _, p := range e.facts.parts {
		fmt.Fprintln(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))
}
