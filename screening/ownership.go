package screening

import "github.com/lexscreen/lexscreen/regime"

// SetOwnership sets the ownership graph the legal regimes read (see
// regime.OwnershipBuilder); LoadSnapshots builds it with the index.
func (s *Screener) SetOwnership(g *regime.OwnershipGraph) { s.ownership = g }

// Ownership returns the ownership graph built with the index (nil: none).
func (s *Screener) Ownership() *regime.OwnershipGraph { return s.ownership }
