// Package screening puts the pieces of a screening together: it builds the
// matcher's index from the snapshots in use, screens queries, and stamps
// every result with the list versions, engine version and threshold it used,
// so that any result can be reproduced.
package screening

import (
	"context"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// Screener screens queries against one immutable index.
type Screener struct {
	matcher *match.Matcher
	lists   []lexscreen.ListVersion
	engine  string
}

// Load builds a Screener from the current snapshot of every list in db.
// onEntity, when set, is called once per indexed entity (progress).
func Load(ctx context.Context, db *sqlite.DB, engineVersion string, onEntity func()) (*Screener, error) {
	snaps, err := db.Current(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var lists []lexscreen.ListVersion
	for _, s := range snaps {
		lists = append(lists, ListVersion(s, now))
	}
	b := match.NewBuilder(lists)
	for _, s := range snaps {
		err := db.Entities(ctx, s.ID, func(e *lexscreen.Entity) error {
			b.Add(e)
			if onEntity != nil {
				onEntity()
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return New(b.Build(), engineVersion), nil
}

// New returns a Screener over an index.
func New(ix *match.Index, engineVersion string) *Screener {
	return &Screener{matcher: match.New(ix), lists: ix.Lists(), engine: engineVersion}
}

// ListVersion describes a snapshot for results.
func ListVersion(s lexscreen.Snapshot, now time.Time) lexscreen.ListVersion {
	v := lexscreen.ListVersion{Source: s.Source, Version: s.Version}
	if !s.Published.IsZero() {
		v.Published = s.Published.Format("2006-01-02")
		v.AgeDays = int(now.Sub(s.Published).Hours() / 24)
	}
	return v
}

// Matcher returns the matcher.
func (s *Screener) Matcher() *match.Matcher { return s.matcher }

// Options of one screening.
type Options struct {
	Threshold float64
	Limit     int
	Operator  string
	Date      string
}

// Screen screens one query.
func (s *Screener) Screen(q lexscreen.Query, opts Options) (lexscreen.Result, error) {
	th := opts.Threshold
	if th <= 0 {
		th = match.DefaultThreshold
	}
	ms, err := s.matcher.ScreenWith(q, match.Options{Threshold: th, Limit: opts.Limit})
	if err != nil {
		return lexscreen.Result{}, err
	}
	if ms == nil {
		ms = []lexscreen.Match{}
	}
	return lexscreen.Result{Query: q, Operator: opts.Operator, Date: opts.Date, Matches: ms, Conflicts: []string{},
		Lists: s.lists, Engine: lexscreen.Engine{Version: s.engine + " " + match.Version, Threshold: th}}, nil
}
