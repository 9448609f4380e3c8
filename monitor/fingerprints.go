package monitor

import (
	"context"

	"github.com/lexscreen/lexscreen"
)

// Listings returns a Delta that holds only the fingerprints of the
// entities of a snapshot set (After), for a full re-screen.
func Listings(ctx context.Context, es Entities) (*Delta, error) {
	d := &Delta{After: map[string]string{}}
	err := es(ctx, func(e *lexscreen.Entity) error {
		d.After[e.ID] = lexscreen.EntityFingerprint(e)
		return nil
	})
	return d, err
}
