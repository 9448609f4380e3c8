package monitor

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
)

// monitorLimit is the most matches one subject's screening keeps: every
// match at or above the threshold is an alert, so monitoring does not cut
// at the interactive default (match.DefaultLimit).
const monitorLimit = 1000

// screenAll screens subjects forward with sc on workers goroutines and
// returns, in the order given, those that matched. When keep is set, only
// the matches of the entities it holds are kept (reverse screening: the
// entities added or changed); fps gives the fingerprint of every listing
// matched. A subject that can't be screened is returned in failed with why.
func screenAll(ctx context.Context, sc *screening.Screener, optionsFor func(string) (screening.Options, error), subjects []lexscreen.Subject,
	keep map[string]bool, fps map[string]string, workers int) (found []SubjectResult, failed []BookError, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// The options of each operator profile in the chunk, resolved once.
	byOp := map[string]screening.Options{}
	opErr := map[string]error{}
	for _, s := range subjects {
		if _, ok := byOp[s.Operator]; ok {
			continue
		}
		if _, ok := opErr[s.Operator]; ok {
			continue
		}
		o, err := optionsFor(s.Operator)
		if err != nil {
			opErr[s.Operator] = fmt.Errorf("operator profile %q: %w", s.Operator, err)
			continue
		}
		if o.Limit <= 0 {
			o.Limit = monitorLimit
		}
		o.OmitListWarnings = true
		byOp[s.Operator] = o
	}
	results := make([]*SubjectResult, len(subjects))
	errs := make([]error, len(subjects))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(subjects); i += workers {
				if ctx.Err() != nil {
					return
				}
				s := subjects[i]
				if err := opErr[s.Operator]; err != nil {
					errs[i] = err
					continue
				}
				q := s.Query
				q.ID = s.ID
				res, err := sc.Screen(q, byOp[s.Operator])
				if err != nil {
					errs[i] = err
					continue
				}
				if keep != nil {
					ms := res.Matches[:0]
					for _, m := range res.Matches {
						if keep[m.Entity.ID] {
							ms = append(ms, m)
						}
					}
					res.Matches = ms
				}
				if len(res.Matches) == 0 {
					continue
				}
				fp := make(map[string]string, len(res.Matches))
				for _, m := range res.Matches {
					fp[m.Entity.ID] = fps[m.Entity.ID]
				}
				results[i] = &SubjectResult{Subject: s, Result: res, EntityFingerprints: fp}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	for i, r := range results {
		if errs[i] != nil {
			failed = append(failed, BookError{ID: subjects[i].ID, Message: errs[i].Error()})
		}
		if r != nil {
			found = append(found, *r)
		}
	}
	return found, failed, nil
}
