package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/workspace"
)

// alertSink is the workspace as the monitor's Sink, keeping what the run
// did to the alerts for the report.
type alertSink struct {
	ws      *workspace.Store
	mu      sync.Mutex
	found   workspace.FoundReport
	removed []int64
	reeval  *workspace.ReevaluateReport
}

// Found opens or updates the alerts of the pairs found (workspace.Store.FoundAs).
func (s *alertSink) Found(ctx context.Context, run string, results []monitor.SubjectResult) error {
	rep, err := s.ws.FoundAs(ctx, workspace.System("monitor"), run, results)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.found.Opened = append(s.found.Opened, rep.Opened...)
	s.found.Realerted = append(s.found.Realerted, rep.Realerted...)
	s.found.Unchanged += rep.Unchanged
	s.found.Suppressed += rep.Suppressed
	s.found.Unfingerprinted += rep.Unfingerprinted
	return nil
}

// Removed annotates the alerts of listings removed from their lists.
func (s *alertSink) Removed(ctx context.Context, run string, ids []string) error {
	annotated, err := s.ws.RemovedAs(ctx, workspace.System("monitor"), run, ids)
	s.mu.Lock()
	s.removed = append(s.removed, annotated...)
	s.mu.Unlock()
	return err
}

// Reevaluate re-evaluates the obligations of the open alerts
// (monitor.Reevaluator); the alerts that could not be are in the report.
func (s *alertSink) Reevaluate(ctx context.Context, run string, fn monitor.ObligationsFunc) error {
	rep, err := s.ws.ReevaluateAs(ctx, workspace.System("monitor"), run, fn)
	s.mu.Lock()
	s.reeval = &rep
	s.mu.Unlock()
	return err
}

// operatorOptions returns the screening options of a subject screened for
// an operator profile: "" is the run's own (--operator); another name is
// a profile of the server (--profiles), a built-in one, border:XX or a
// profile file, with the run's overlays (--regimes). Resolved once each.
func operatorOptions(req monitorRequest, maxListAge time.Duration) func(string) (screening.Options, error) {
	var mu sync.Mutex
	type resolved struct {
		o   screening.Options
		err error
	}
	cache := map[string]resolved{}
	return func(operator string) (screening.Options, error) {
		if operator == "" {
			return req.opts, nil
		}
		mu.Lock()
		defer mu.Unlock()
		if r, ok := cache[operator]; ok {
			return r.o, r.err
		}
		var o screening.Options
		var err error
		if op, ok := req.profiles[operator]; ok {
			var eng *regime.Engine
			if eng, err = req.legal.engine(); err == nil {
				o.Regimes, o.Operator, o.Date = eng, op, time.Now().UTC().Truncate(24*time.Hour)
			}
		} else {
			lf := req.legal
			lf.operator = operator
			o, _, err = lf.options()
		}
		o.MaxListAge = maxListAge
		cache[operator] = resolved{o, err}
		return o, err
	}
}

// factsReport is the check of the legal facts a monitoring run makes.
type factsReport struct {
	// Hash names the legal facts in force today: the regime data and
	// overlays (regime.Engine.FactsHash) and the date (obligations turn
	// on dates: a designation's, a State's entry into force).
	Hash     string `json:"hash"`
	Previous string `json:"previous,omitempty"` // the hash the open alerts were last evaluated with
	// Reevaluated is what re-evaluating the open alerts did, when the
	// hash changed.
	Reevaluated *workspace.ReevaluateReport `json:"reevaluated,omitempty"`
	Failed      map[int64]string            `json:"failed,omitempty"` // alerts not re-evaluated: the next run tries again
}

// checkFacts re-evaluates the obligations of the open alerts when the
// legal facts changed since they were last evaluated (the hash kept in
// monitor.db), and records the new hash once every open alert was done.
// The first check only records the hash.
func (a *app) checkFacts(ctx context.Context, st *monitor.Store, runner *monitor.Runner, sc *screening.Screener,
	req monitorRequest, optionsFor func(string) (screening.Options, error)) (*factsReport, error) {
	eng, err := req.legal.engine()
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256([]byte(eng.FactsHash() + "@" + time.Now().UTC().Format(time.DateOnly)))
	rep := &factsReport{Hash: hex.EncodeToString(h[:])}
	if rep.Previous, err = st.Facts(ctx); err != nil {
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "monitoring store: %v", err)
	}
	if rep.Previous == rep.Hash {
		return rep, nil
	}
	if rep.Previous != "" {
		obligations := func(operator string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
			o, err := optionsFor(operator)
			if err != nil {
				return nil, nil, err
			}
			if o.Regimes == nil {
				return nil, nil, nil // screened for no operator: no obligations
			}
			return o.Regimes.Evaluate(o.Operator, o.Date, sc.Listing(&m))
		}
		if _, err := runner.Reevaluate(ctx, "facts:"+rep.Hash[:12], obligations); err != nil {
			return rep, err
		}
		if s, ok := runner.Sink.(*alertSink); ok && s.reeval != nil {
			rep.Reevaluated = s.reeval
			if len(s.reeval.Failed) > 0 {
				rep.Failed = s.reeval.Failed
				return rep, nil // the hash is kept: the next run tries again
			}
		}
	}
	if err := st.SetFacts(ctx, rep.Hash); err != nil {
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "monitoring store: %v", err)
	}
	return rep, nil
}
