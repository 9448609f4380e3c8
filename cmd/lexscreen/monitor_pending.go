package main

import (
	"context"
	"fmt"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/workspace"
)

// pendingReport is what a monitoring run did with the subjects of the book
// not screened since they were created or changed (imported with
// --no-screen, or whose screening failed or never ran): a run that looks
// only at what changed in the lists would never match them against the
// listings that did not change, so it screens them as a whole.
type pendingReport struct {
	Waiting  int                  `json:"waiting"`  // subjects waiting when the run began
	Screened int                  `json:"screened"` // screened against every list
	Matched  int                  `json:"matched"`  // of which matched (their alerts are in the run's alerts)
	Failed   []workspace.RowError `json:"failed"`   // not screened, and why: they wait for the next run
	// Full is set when the run screened the whole book, which covered
	// the subjects that waited when it began.
	Full bool `json:"covered_by_full_run,omitempty"`
}

// pendingPage is the subjects screened and marked in one step.
const pendingPage = 2048

// screenPending screens the subjects of the workspace's book that wait for
// a screening, opens their alerts through sink and marks them screened;
// a subject that can't be screened is reported and keeps waiting.
func screenPending(ctx context.Context, ws *workspace.Store, db store.Store, sc *screening.Screener,
	optionsFor func(string) (screening.Options, error), sink *alertSink, rep *pendingReport) error {
	run := "monitor:unscreened:" + time.Now().UTC().Format(time.RFC3339Nano)
	var after int64
	for {
		page, err := ws.Unscreened(ctx, after, pendingPage)
		if err != nil || len(page) == 0 {
			return err
		}
		after = page[len(page)-1].Seq
		var results []workspace.SubjectResult
		var screened []lexscreen.Subject
		for _, p := range page {
			if err := ctx.Err(); err != nil {
				return err
			}
			o, err := optionsFor(p.Operator)
			if err != nil {
				rep.Failed = append(rep.Failed, workspace.RowError{ID: p.ID, Message: err.Error()})
				continue
			}
			q := p.Query
			q.ID = p.ID
			res, err := sc.Screen(q, o)
			if err != nil {
				rep.Failed = append(rep.Failed, workspace.RowError{ID: p.ID, Message: err.Error()})
				continue
			}
			screened = append(screened, p.Subject)
			if len(res.Matches) == 0 {
				continue
			}
			fps, err := workspace.Fingerprints(ctx, db, res)
			if err != nil {
				return fmt.Errorf("subject %s: %w", p.ID, err)
			}
			results = append(results, workspace.SubjectResult{Subject: p.Subject, Result: res, EntityFingerprints: fps})
		}
		if len(results) > 0 {
			if err := sink.Found(ctx, run, results); err != nil {
				return err
			}
		}
		if err := ws.MarkScreened(ctx, screened); err != nil {
			return err
		}
		rep.Screened += len(screened)
		rep.Matched += len(results)
	}
}
