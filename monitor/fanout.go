package monitor

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/distributed"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
)

// Fanout runs the forward screening of a monitoring run's chunks on
// `lexscreen worker` processes through the NATS JetStream work stream
// (package distributed), instead of in this process.
//
// The run is split as a local run is: a full re-screen into chunks of the
// book, a delta into the same chunks holding only the subjects reverse
// retrieval and the pair filter kept (retrieval stays here: it is cheap
// next to the forward screening of the candidates). Each chunk is one
// part on the stream. A worker screens its subjects with the run's
// threshold and limit against the same lists, and stores, keyed by (run,
// chunk), which subjects matched or failed; it acks only once that is
// stored, so a chunk whose worker dies is redelivered and stored once.
// The coordinator then goes through the chunks in order and screens again
// here only the subjects a worker found (with each subject's operator
// profile: obligations, the entities of the delta, the listings'
// fingerprints), delivers them to the Sink and checkpoints the chunk, as a
// local run does: the Sink sees exactly the pairs a local run gives it,
// each once.
type Fanout struct {
	NC      *nats.Conn
	JS      jetstream.JetStream
	Results distributed.Results
	// Poll is how often the results are counted while workers screen
	// (default 500ms); Progress, if set, is told at each poll.
	Poll     time.Duration
	Progress func(distributed.Progress)
}

// chunkWork is a monitoring chunk as a worker reads it (Chunk.Work).
type chunkWork struct {
	// Engine is the match engine's version: a worker of another refuses
	// the chunk.
	Engine    string        `json:"engine"`
	Threshold float64       `json:"threshold,omitempty"`
	Limit     int           `json:"limit,omitempty"`
	Subjects  []workSubject `json:"subjects"`
}

// workSubject is a subject as a worker screens it.
type workSubject struct {
	ID    string          `json:"id"`
	Query lexscreen.Query `json:"query"`
}

// chunkOutcome is what a worker stores for a chunk: the positions (in
// the chunk) of the subjects that matched at the threshold, and of those
// it could not screen, with why.
type chunkOutcome struct {
	Screened int           `json:"screened"`
	Matched  []int         `json:"matched,omitempty"`
	Failed   []workFailure `json:"failed,omitempty"`
}

type workFailure struct {
	At      int    `json:"at"`
	Message string `json:"message"`
}

// FanoutJob names the results of a run in the results store.
func FanoutJob(run string) string { return "monitor-" + run }

// ScreenChunk screens a monitoring chunk (a distributed.Chunk of Kind
// distributed.KindMonitor) with sc on a worker: it is the worker's
// distributed.ScreenFunc for that kind. A chunk of another engine or of
// other lists than sc's is refused (an error: given back for another
// worker), never screened against other lists.
func ScreenChunk(ctx context.Context, sc *screening.Screener, c distributed.Chunk) ([]distributed.Result, error) {
	if c.Kind != distributed.KindMonitor {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "chunk %s is of kind %q, not a monitoring chunk", c.Name(), c.Kind)
	}
	var w chunkWork
	if err := json.Unmarshal(c.Work, &w); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "monitoring chunk %s is not readable: %v", c.Name(), err)
	}
	if w.Engine != match.Version {
		return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "monitoring chunk %s was made by match engine %s; this worker runs %s", c.Name(), w.Engine, match.Version)
	}
	if got := distributed.ListsFingerprint(sc.Lists()); got != c.Spec.Lists {
		return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "monitoring run %s screens lists %s; this worker has %s", c.Spec.Job, c.Spec.Lists, got)
	}
	opts := screening.Options{Threshold: w.Threshold, Limit: w.Limit, OmitListWarnings: true}
	if opts.Limit <= 0 {
		opts.Limit = monitorLimit
	}
	out := chunkOutcome{Screened: len(w.Subjects)}
	for i, s := range w.Subjects {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		q := s.Query
		q.ID = s.ID
		res, err := sc.Screen(q, opts)
		switch {
		case err != nil:
			out.Failed = append(out.Failed, workFailure{At: i, Message: err.Error()})
		case len(res.Matches) > 0:
			out.Matched = append(out.Matched, i)
		}
	}
	line, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	var st distributed.Status
	if len(out.Matched) > 0 {
		st |= distributed.Matched
	}
	if len(out.Failed) > 0 {
		st |= distributed.Warned
	}
	return []distributed.Result{{Row: c.Part, Line: line, Status: st}}, nil
}

// remoteRun is a run's chunks screened by workers: the subjects of each
// chunk and what the workers stored for it.
type remoteRun struct {
	job      string
	subjects map[int][]lexscreen.Subject // by chunk: the subjects sent
	outcome  map[int]chunkOutcome        // by chunk: what a worker stored
	lost     map[int]string              // by chunk: why no worker stored it
	jobLost  string                      // why, when JetStream named no chunk
	profiles map[string]error            // by operator: the profile's error, resolved once
}

// dispatch publishes the chunks of a run not yet done (select gives the
// subjects of a chunk) and waits until workers have stored every one, or
// JetStream gave some up.
func (f *Fanout) dispatch(ctx context.Context, run string, job Job, chunks int, done map[int]bool,
	selectChunk func(c int) []lexscreen.Subject) (*remoteRun, error) {
	rr := &remoteRun{job: FanoutJob(run), subjects: map[int][]lexscreen.Subject{}, outcome: map[int]chunkOutcome{},
		lost: map[int]string{}, profiles: map[string]error{}}
	spec := distributed.Spec{Job: rr.job, Input: "monitoring run " + run, Lists: distributed.ListsFingerprint(job.Screener.Lists())}
	var parts []distributed.Chunk
	for c := range chunks {
		if done[c] {
			continue
		}
		subjects := selectChunk(c)
		rr.subjects[c] = subjects
		if len(subjects) == 0 {
			continue // nothing to screen: the chunk is checkpointed as it is
		}
		w := chunkWork{Engine: match.Version, Threshold: job.Options.Threshold, Limit: job.Options.Limit, Subjects: make([]workSubject, len(subjects))}
		for i, s := range subjects {
			w.Subjects[i] = workSubject{ID: s.ID, Query: s.Query}
		}
		data, err := json.Marshal(w)
		if err != nil {
			return nil, err
		}
		if limit := f.NC.MaxPayload(); int64(len(data))+1024 > limit {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "chunk %d of run %s is %d bytes, more than the NATS server takes (%d): use smaller chunks (--chunk)", c, run, len(data), limit)
		}
		parts = append(parts, distributed.Chunk{Spec: spec, Kind: distributed.KindMonitor, Part: c, Units: len(subjects), Work: data})
	}
	if len(parts) > 0 {
		sub, err := distributed.SubmitParts(ctx, f.NC, f.JS, f.Results, rr.job, parts)
		if err != nil {
			return nil, err
		}
		defer sub.Close()
		p, err := sub.Wait(ctx, f.Poll, f.Progress)
		if err != nil {
			return nil, err
		}
		if err := sub.Purge(ctx); err != nil {
			return nil, err
		}
		for _, l := range p.Lost {
			var c int
			if part, ok := strings.CutPrefix(l.Chunk, rr.job+":"+distributed.KindMonitor+"-"); ok {
				if _, err := fmt.Sscanf(part, "%d", &c); err == nil {
					rr.lost[c] = l.Reason
					continue
				}
			}
			rr.jobLost = l.Reason // the job as a whole
		}
	}
	err := f.Results.Each(ctx, rr.job, func(r distributed.Result) error {
		var o chunkOutcome
		if err := json.Unmarshal(r.Line, &o); err != nil {
			return lexscreen.Errorf(lexscreen.EINTERNAL, "results store: the stored outcome of chunk %d of run %s is not readable: %v", r.Row, run, err)
		}
		rr.outcome[r.Row] = o
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A chunk given up after a worker stored it (its ack lost, the stream
	// slow to drop it) is not lost: its outcome is here.
	for c := range rr.lost {
		if _, ok := rr.outcome[c]; ok {
			delete(rr.lost, c)
		}
	}
	return rr, nil
}

// markLost records that no worker stored chunk c, with why.
func (rr *remoteRun) markLost(c int) {
	if _, named := rr.lost[c]; !named {
		rr.lost[c] = cmp.Or(rr.jobLost, "no worker stored a result for it")
	}
}

// confirm screens here the subjects of chunk c that a worker found
// matched or could not screen, and those whose operator profile can't be
// resolved, as a local run screens the chunk: found and failed are what a
// local run gives. ok is false when no worker stored the chunk.
func (rr *remoteRun) confirm(ctx context.Context, c int, job Job, keep map[string]bool, workers int) (found []SubjectResult, failed []BookError, confirmed int, ok bool, err error) {
	subjects := rr.subjects[c]
	if len(subjects) == 0 {
		return nil, nil, 0, true, nil
	}
	o, stored := rr.outcome[c]
	if !stored {
		return nil, nil, 0, false, nil
	}
	if o.Screened != len(subjects) {
		return nil, nil, 0, false, lexscreen.Errorf(lexscreen.EINTERNAL, "chunk %d: a worker screened %d subjects, the run sent %d", c, o.Screened, len(subjects))
	}
	again := make([]bool, len(subjects))
	for _, i := range o.Matched {
		if i >= 0 && i < len(again) {
			again[i] = true
		}
	}
	for _, f := range o.Failed {
		if f.At >= 0 && f.At < len(again) {
			again[f.At] = true
		}
	}
	var selected []lexscreen.Subject
	for i, s := range subjects {
		if !again[i] && rr.badProfile(job, s.Operator) {
			again[i] = true
		}
		if again[i] {
			selected = append(selected, s)
		}
	}
	found, failed, err = screenAll(ctx, job.Screener, job.optionsFor, selected, keep, job.Delta.After, workers)
	return found, failed, len(selected), true, err
}

// badProfile reports whether a subject of operator can't be screened for
// its profile (screenAll reports it failed without screening it).
func (rr *remoteRun) badProfile(job Job, operator string) bool {
	err, seen := rr.profiles[operator]
	if !seen {
		_, err = job.optionsFor(operator)
		rr.profiles[operator] = err
	}
	return err != nil
}

// lostError names the chunks no worker stored: the run stops before it
// is finished, and the same command resumes it with those chunks alone.
func (rr *remoteRun) lostError(run string) error {
	if len(rr.lost) == 0 {
		return nil
	}
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(rr.lost)) {
		parts = append(parts, fmt.Sprintf("chunk %d: %s", c, rr.lost[c]))
	}
	return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "monitoring run %s: %d chunk(s) were not screened by any worker (%s); the other chunks were delivered and checkpointed: run the same command again, with workers running, to finish the run",
		run, len(parts), strings.Join(firstN(parts, 3), "; "))
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
	}
	return s
}
