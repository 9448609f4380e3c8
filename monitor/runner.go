package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
)

// Run kinds.
const (
	KindDelta = "delta" // the entities added or changed, screened against the book index
	KindFull  = "full"  // the whole book screened forward
)

// DefaultChunk is how many subjects (of the book, in id order) a run
// screens between two checkpoints.
const DefaultChunk = 2048

// Runner runs monitoring jobs, checkpointed in a Store.
type Runner struct {
	Store   *Store
	Sink    Sink
	Workers int // screening goroutines; 0: one per core
	Chunk   int // subjects per checkpoint; 0: DefaultChunk
	// AfterChunk, when set, is called after each checkpoint (progress).
	AfterChunk func(run string, chunk, chunks int)
	// Fanout, when set, screens the chunks on workers through NATS
	// JetStream (see Fanout); the Sink and the checkpoints stay here.
	Fanout *Fanout
}

// Job is one monitoring run to do.
type Job struct {
	Kind string // KindDelta or KindFull
	// After is the snapshot set screened against; Before, for a delta, the
	// set it is compared with.
	Before, After []lexscreen.Snapshot
	Book          *BookIndex
	Screener      *screening.Screener // over the After set
	Options       screening.Options
	// OptionsFor, when set, gives the options of a subject screened for
	// the named operator profile (Subject.Operator; "" the default):
	// each subject's obligations are those of its own operator. A
	// profile it can't resolve makes the subject a failure, counted and
	// reported. Threshold and limits stay those of Options.
	OptionsFor func(operator string) (screening.Options, error)
	// Delta is what changed from Before to After (KindDelta); for
	// KindFull its After fingerprints are used.
	Delta *Delta
}

// Stats is what a run did. Counts cover the whole run, resumed or not.
type Stats struct {
	Run        string `json:"run"`
	Kind       string `json:"kind"`
	Resumed    bool   `json:"resumed"` // an interrupted run was continued
	Subjects   int    `json:"subjects"`
	Added      int    `json:"added"`
	Changed    int    `json:"changed"`
	Removed    int    `json:"removed"`
	Candidates int    `json:"candidates"` // subjects screened (delta: those the book index retrieved)
	// PairsScored counts the (candidate, entity) pairs scored to choose
	// the subjects screened forward (delta runs, this process only).
	PairsScored int `json:"pairs_scored"`
	Screened    int `json:"screened"`  // subjects screened forward
	Matched     int `json:"matched"`   // subjects with a match
	Pairs       int `json:"pairs"`     // (subject, entity) pairs found
	Failed      int `json:"failed"`    // subjects that could not be screened
	Unindexed   int `json:"unindexed"` // subjects the book index could not hold
	Chunks      int `json:"chunks"`
	Skipped     int `json:"chunks_skipped"` // already delivered before a resume
	// Remote counts the chunks screened by workers (a Fanout run), and
	// Confirmed the subjects they found that were screened again here
	// for the Sink.
	Remote    int           `json:"chunks_on_workers,omitempty"`
	Confirmed int           `json:"subjects_confirmed,omitempty"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	Failures  []BookError   `json:"failures,omitempty"`
}

// optionsFor returns the options a subject of operator is screened with.
func (j *Job) optionsFor(operator string) (screening.Options, error) {
	if j.OptionsFor == nil {
		return j.Options, nil
	}
	o, err := j.OptionsFor(operator)
	if err != nil {
		return o, err
	}
	o.Threshold, o.Limit, o.MaxListAge = j.Options.Threshold, j.Options.Limit, j.Options.MaxListAge
	return o, nil
}

// spec is the hash naming what a job screens: a run of the same spec is
// resumed rather than started again.
func (j *Job) spec() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%v|%s\n", j.Kind, j.Options.Threshold, match.Version)
	for _, s := range j.Before {
		fmt.Fprintf(h, "b %s %d\n", s.Source, s.ID)
	}
	for _, s := range j.After {
		fmt.Fprintf(h, "a %s %d\n", s.Source, s.ID)
	}
	fmt.Fprintf(h, "book %s\n", j.Book.Fingerprint())
	if j.Options.Regimes != nil {
		fmt.Fprintf(h, "operator %s %s\n", j.Options.Operator.Name, j.Options.Date.Format(time.DateOnly))
	}
	if j.OptionsFor != nil {
		// Each subject's own operator (in the book's fingerprint), as of today.
		fmt.Fprintf(h, "per-subject operators %s\n", time.Now().UTC().Format(time.DateOnly))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Run does job, or what is left of it when an earlier run of the same
// job was interrupted: chunk by chunk, each delivered to the Sink and then
// checkpointed, so that a crash repeats at most one chunk, which the
// Sink, idempotent, ignores.
func (r *Runner) Run(ctx context.Context, job Job) (Stats, error) {
	start := time.Now()
	chunk := r.Chunk
	if chunk <= 0 {
		chunk = DefaultChunk
	}
	n := job.Book.Len()
	chunks := (n + chunk - 1) / chunk
	st := Stats{Kind: job.Kind, Subjects: n, Chunks: chunks, Unindexed: len(job.Book.Unindexed)}
	if job.Kind != KindDelta && job.Kind != KindFull {
		return st, lexscreen.Errorf(lexscreen.EINVALID, "unknown monitoring run kind %q (delta or full)", job.Kind)
	}
	if job.Delta == nil {
		return st, lexscreen.Errorf(lexscreen.EINVALID, "monitoring run without the lists' fingerprints (Job.Delta)")
	}
	if job.Kind == KindDelta && !job.Book.keyed {
		return st, lexscreen.Errorf(lexscreen.EINTERNAL, "monitoring: a delta run needs the book's index (monitor.BuildIndex), not its subjects alone")
	}
	run, resumed, err := r.Store.begin(ctx, job.spec(), job.Kind, chunks)
	if err != nil {
		return st, fmt.Errorf("monitoring store: %w", err)
	}
	st.Run, st.Resumed = run, resumed
	done, err := r.Store.done(ctx, run)
	if err != nil {
		return st, fmt.Errorf("monitoring store: %w", err)
	}
	var keep map[string]bool
	var cands []candidate // delta: the subjects reverse retrieval found
	var filter *pairFilter
	if job.Kind == KindDelta {
		d := job.Delta
		st.Added, st.Changed, st.Removed = len(d.Added), len(d.Changed), len(d.Removed)
		keep = map[string]bool{}
		es := d.Screened()
		for _, e := range es {
			keep[e.ID] = true
		}
		if cands, err = job.Book.reverseCandidates(ctx, es, r.Workers); err != nil {
			return st, err
		}
		filter = newPairFilter(job.Screener.Matcher(), es, job.Options.Threshold)
		st.Candidates = len(cands)
		if !done[-1] && len(d.Removed) > 0 {
			if err := r.Sink.Removed(ctx, run, d.Removed); err != nil {
				return st, fmt.Errorf("delivering the removed listings: %w", err)
			}
			if err := r.Store.checkpoint(ctx, run, -1, 0, 0, 0, 0); err != nil {
				return st, fmt.Errorf("monitoring store: %w", err)
			}
		}
	} else {
		st.Candidates = n
	}
	// selectChunk returns the subjects chunk c screens forward.
	selectChunk := func(c int) []lexscreen.Subject {
		lo, hi := c*chunk, min((c+1)*chunk, n)
		if keep == nil {
			return job.Book.subjects[lo:hi:hi]
		}
		i, _ := slices.BinarySearchFunc(cands, uint32(lo), func(c candidate, p uint32) int { return int(c.pos) - int(p) })
		j := i
		for j < len(cands) && int(cands[j].pos) < hi {
			j++
		}
		subjects, scored := filter.keep(ctx, job.Book.subjects, cands[i:j], r.Workers)
		st.PairsScored += scored
		return subjects
	}
	var remote *remoteRun
	if r.Fanout != nil {
		if remote, err = r.Fanout.dispatch(ctx, run, job, chunks, done, selectChunk); err != nil {
			return st, err
		}
	}
	for c := 0; c < chunks; c++ {
		if done[c] {
			st.Skipped++
			continue
		}
		var subjects []lexscreen.Subject
		var found []SubjectResult
		var failed []BookError
		if remote != nil {
			subjects = remote.subjects[c]
			var confirmed int
			var ok bool
			found, failed, confirmed, ok, err = remote.confirm(ctx, c, job, keep, r.Workers)
			if err == nil && !ok {
				remote.markLost(c)
				continue // not checkpointed: the next run of the job does it
			}
			if len(subjects) > 0 {
				st.Remote++
			}
			st.Confirmed += confirmed
		} else {
			subjects = selectChunk(c)
			found, failed, err = screenAll(ctx, job.Screener, job.optionsFor, subjects, keep, job.Delta.After, r.Workers)
		}
		if err != nil {
			return st, err
		}
		pairs := 0
		for _, f := range found {
			pairs += len(f.Result.Matches)
		}
		if len(found) > 0 {
			if err := r.Sink.Found(ctx, run, found); err != nil {
				return st, fmt.Errorf("delivering chunk %d of run %s: %w", c, run, err)
			}
		}
		st.Failures = append(st.Failures, failed...)
		if err := r.Store.checkpoint(ctx, run, c, len(subjects), len(found), pairs, len(failed)); err != nil {
			return st, fmt.Errorf("monitoring store: %w", err)
		}
		if r.AfterChunk != nil {
			r.AfterChunk(run, c, chunks)
		}
	}
	if remote != nil {
		if err := remote.lostError(run); err != nil {
			return st, err
		}
		// The workers' results served their purpose: the checkpoints hold the run.
		if err := r.Fanout.Results.Delete(ctx, remote.job); err != nil {
			return st, err
		}
	}
	// Either kind leaves the book screened against the After set.
	if err := r.Store.finish(ctx, run, job.After); err != nil {
		return st, fmt.Errorf("monitoring store: %w", err)
	}
	if st.Screened, st.Matched, st.Pairs, st.Failed, err = r.Store.totals(ctx, run); err != nil {
		return st, fmt.Errorf("monitoring store: %w", err)
	}
	st.Elapsed = time.Since(start)
	return st, nil
}
