package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/workspace"
)

// monitorRequest is one monitoring run to make (command or server).
type monitorRequest struct {
	book, out string // the customer file and the findings file; no book: the workspace
	full      bool
	opts      screening.Options
	// legal are the legal flags: the default operator (subjects without
	// their own) and the overlays every subject's obligations use.
	legal legalFlags
	// profiles are the server's named operator profiles (serve --profiles).
	profiles map[string]regime.Operator
	// chunk is the subjects per checkpoint (0: the default); pause, a
	// wait after each checkpoint (tests kill a run half-way).
	chunk int
	pause time.Duration
	// progress, when set, is told of each checkpoint.
	progress func(run string, chunk, chunks int)
	// books, when set, keeps the index of the workspace's book between
	// runs (serve --monitor), rebuilt only when the book changed.
	books *bookCache
	// fanout, when set, screens the run's chunks on workers (--distributed).
	fanout *monitor.Fanout
}

// bookCache is the index of the workspace's book as of a BookStamp.
type bookCache struct {
	stamp string
	index *monitor.BookIndex
}

// bookIndex returns the workspace's book, from the cache when the book did
// not change since it was read; keyed asks for its index for reverse
// retrieval (a delta run), which a full run does not need.
func bookIndex(ctx context.Context, ws *workspace.Store, cache *bookCache, keyed bool) (*monitor.BookIndex, error) {
	load := func() (*monitor.BookIndex, error) {
		if keyed {
			return monitor.BuildIndex(ctx, ws, 0)
		}
		return monitor.LoadSubjects(ctx, ws)
	}
	if cache == nil {
		return load()
	}
	stamp, err := ws.BookStamp(ctx)
	if err != nil {
		return nil, err
	}
	if cache.index != nil && cache.stamp == stamp && (cache.index.Keyed() || !keyed) {
		return cache.index, nil
	}
	bi, err := load()
	if err != nil {
		return nil, err
	}
	// A change while it was read makes the next run read it again.
	if after, err := ws.BookStamp(ctx); err == nil && after == stamp {
		cache.stamp, cache.index = stamp, bi
	} else {
		cache.stamp, cache.index = "", nil
	}
	return bi, nil
}

// monitorReport is what `lexscreen monitor --json` prints.
type monitorReport struct {
	Book     string `json:"book"`               // the customer file, or "workspace"
	Findings string `json:"findings,omitempty"` // the findings file (a file book)
	// Alerts is what the run did to the workspace's alerts (workspace book).
	Alerts *workspace.FoundReport `json:"alerts,omitempty"`
	// Removed are the alerts annotated because their listing left its list.
	Removed []int64 `json:"alerts_listing_removed,omitempty"`
	// Facts is the legal facts' check (workspace book): their hash, and
	// the open alerts re-evaluated when it changed since the last run.
	Facts *factsReport `json:"legal_facts,omitempty"`
	// Unscreened is what the run did with the subjects not screened since
	// they were created or changed (workspace book).
	Unscreened *pendingReport       `json:"unscreened_subjects,omitempty"`
	Stats      *monitor.Stats       `json:"stats,omitempty"`
	Skipped    string               `json:"skipped,omitempty"` // why no run was needed
	BadRows    []monitor.BookError  `json:"bad_rows"`
	Lists      []lexscreen.Snapshot `json:"lists"`
	Monitored  map[string]int64     `json:"previously_monitored"`
	// Job is the id of the run's job on the River queue of
	// <data-dir>/jobs.db (lexscreen monitor; serve --monitor logs its own).
	Job int64 `json:"job,omitempty"`
}

func (a *app) monitorCommand() *cobra.Command {
	var req monitorRequest
	var threshold float64
	var dist monitorDistFlags
	cmd := &cobra.Command{
		Use:   "monitor [--book FILE]",
		Short: "Re-screen the customer book against what changed in the lists since the last run",
		Long: `Keep a customer book screened as the lists change. Each run compares the lists in use with the
snapshot set the last run monitored, and screens only the listed entities added or changed against an
index of the book (reverse screening): each (customer, listed entity) pair found is the match that
screening the customer would give, with the same score, explanation and obligations.

The book is the workspace's (the subjects in <data-dir>/workspace.db, lexscreen subjects): each pair
found opens an alert (lexscreen alerts) unless an approved false positive suppresses it (same subject
data, same listing) or the same pair was alerted before with the same data; a pair whose listing or
subject changed alerts again, with what changed. Alerts on a listed entity removed from its list are
annotated. Each subject is screened for its own operator profile (subjects import --operator);
--operator is the profile of subjects without one. When the legal facts changed since the last run
(the bundled regime data, or the --regimes overlays), the obligations of the open alerts are
evaluated again, and each alert whose obligations changed says so in its history. Subjects not
screened since they were imported or changed (subjects import --no-screen, a screening that failed)
are screened against every list by the next run, whatever changed in the lists.

With --book FILE, the book is a CSV or JSON-lines file read as ` + "`lexscreen batch`" + ` reads it (id, name, type,
dob, country, identifiers columns; records without an id are named row-N, records that can't be
screened are listed under bad_rows); findings are appended to --out as JSON lines
({"kind":"found","subject":...,"result":...,"entity_fingerprints":...} or {"kind":"removed",...}).

The first run, and a run with --full, screens the whole book against every list (after a change of
lexscreen's engine or of --threshold). Runs are checkpointed in monitor.db in the data directory: a
run that is interrupted (killed, a crash, the machine stopped) resumes where it stopped when the same
command is run again, and opens no alert (writes no finding) twice. A book whose records changed
starts a new run. Each run is a job on the River queue of <data-dir>/jobs.db (queue monitor_cli),
worked in this process; --json gives its id. lexscreen serve --monitor runs the same, on its own
queue of that database, after every new list and at least daily. With --store postgres://…, the
book, the checkpoints and the queue are in that database (queue monitor_cli_HOST), shared by every
server and command using it, which monitor one at a time.` + monitorDistributedHelp,
		Example: `  lexscreen monitor                                        # the workspace's book: what changed since the last run
  lexscreen monitor --operator us-bank --json              # us-bank for subjects without their own profile
  lexscreen monitor --book customers.csv --out found.jsonl # a file book, findings as JSON lines
  lexscreen monitor --full
  lexscreen monitor --full --distributed nats://127.0.0.1:4222 --results /var/lib/lexscreen/results.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if req.out != "" && req.book == "" {
				return lexscreen.Errorf(lexscreen.EINVALID, "--out goes with --book: the workspace's findings are its alerts (lexscreen alerts list)")
			}
			fanout, closeFanout, err := dist.open(a.ctx, a.errOut, "lexscreen monitor")
			if err != nil {
				return err
			}
			defer closeFanout()
			req.fanout = fanout
			lf := req.legal
			if req.book == "" && lf.operator == "" {
				// The workspace's subjects have their own operators: the
				// overlays apply to theirs (operatorOptions).
				lf.regimes = nil
			}
			opts, asOf, err := lf.options()
			if err != nil {
				return err
			}
			if screening.Past(asOf) {
				return lexscreen.Errorf(lexscreen.EINVALID, "monitor screens against the lists in use: a past --date is not supported (use batch --date)")
			}
			opts.Threshold, opts.MaxListAge = threshold, a.maxListAge
			req.opts = opts
			sc, err := a.screener()
			if err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			if req.book != "" && req.out == "" {
				dir, err := a.dataPath()
				if err != nil {
					return err
				}
				req.out = filepath.Join(dir, "monitor-findings.jsonl")
			}
			req.progress = func(run string, c, n int) {
				if n > 1 {
					fmt.Fprintf(a.errOut, "lexscreen: monitoring run %s: chunk %d of %d checkpointed\n", run, c+1, n)
				}
			}
			rep, job, err := a.runMonitorJob(a.ctx, db, sc, req, os.Getpid())
			if err != nil {
				return err
			}
			rep.Job = job
			if a.json {
				if err := a.printJSON(rep); err != nil {
					return err
				}
			} else {
				a.printMonitor(rep)
			}
			if rep.incomplete() {
				return silentError{lexscreen.Errorf(exitPartialCode, "monitoring incomplete: some subjects were not screened or some alerts not re-evaluated")}
			}
			return nil
		},
	}
	req.legal.register(cmd)
	cmd.Flags().StringVar(&req.book, "book", "", "a customer file (CSV or JSON lines, batch columns) to monitor instead of the workspace's book")
	cmd.Flags().StringVar(&req.out, "out", "", "with --book: findings file, JSON lines, appended to (default <data-dir>/monitor-findings.jsonl)")
	cmd.Flags().BoolVar(&req.full, "full", false, "screen the whole book against every list, not only what changed")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "match threshold (default the engine's)")
	cmd.Flags().IntVar(&req.chunk, "chunk", 0, "subjects per checkpoint (default 2048)")
	cmd.Flags().DurationVar(&req.pause, "chunk-pause", 0, "wait after each checkpoint (tests)")
	cmd.Flags().MarkHidden("chunk-pause")
	dist.register(cmd.Flags(), "")
	return cmd
}

// incomplete reports whether the run left work undone that a person must
// know of: subjects not screened or not indexed, alerts not re-evaluated.
func (r *monitorReport) incomplete() bool {
	if s := r.Stats; s != nil && (s.Failed > 0 || s.Unindexed > 0) {
		return true
	}
	if r.Unscreened != nil && len(r.Unscreened.Failed) > 0 {
		return true
	}
	return r.Facts != nil && len(r.Facts.Failed) > 0
}

// listingsCache, when set (by the tests, whose data directories are
// often copies of one store), shares the fingerprints of a full run's
// listings between runs on the same snapshots; load reads them from the
// store. nil in lexscreen itself.
var listingsCache func(key string, load func() (*monitor.Delta, error)) (*monitor.Delta, error)

// listings returns the fingerprints of every entity of snaps, for a full
// run (through listingsCache when set; each caller gets its own map).
func listings(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot) (*monitor.Delta, error) {
	load := func() (*monitor.Delta, error) { return monitor.Listings(ctx, monitor.StoreEntities(db, snaps)) }
	if listingsCache == nil {
		return load()
	}
	// The snapshots' ids, content and import times: only copies of one
	// store share them all.
	var key strings.Builder
	for _, s := range snaps {
		fmt.Fprintf(&key, "%d %s %s %s %d\n", s.ID, s.Source, s.ContentHash, s.Imported.UTC().Format(time.RFC3339Nano), s.Entities)
	}
	d, err := listingsCache(key.String(), load)
	if err != nil {
		return nil, err
	}
	return &monitor.Delta{After: maps.Clone(d.After)}, nil
}

// runMonitor makes one monitoring run of the book (req.book, or the
// workspace's) against the lists of sc, resuming an interrupted run of the
// same work.
func (a *app) runMonitor(ctx context.Context, db store.Store, sc *screening.Screener, req monitorRequest) (*monitorReport, error) {
	rep := &monitorReport{Book: req.book, Findings: req.out, BadRows: []monitor.BookError{}, Lists: sc.Snapshots()}
	var book monitor.Book
	var ws *workspace.Store
	if req.book != "" {
		data, err := os.ReadFile(req.book)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "cannot read the book: %v", err)
		}
		mb, bad, err := monitor.ReadBook(filepath.Base(req.book), data, batchfile.Options{})
		if err != nil {
			return nil, err
		}
		book, rep.BadRows = mb, nonNil(bad)
	} else {
		var err error
		if ws, err = a.workspace(); err != nil {
			return nil, err
		}
		book, rep.Book = ws, "workspace"
	}
	st, err := a.monitorStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	// Servers sharing a PostgreSQL database monitor one at a time.
	release, err := st.Exclusive(ctx)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%v", err)
	}
	defer release()
	if rep.Monitored, err = st.Monitored(ctx); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "monitoring store: %v", err)
	}
	optionsFor := operatorOptions(req, a.maxListAge)
	after := sc.Snapshots()
	job := monitor.Job{Kind: monitor.KindFull, After: after, Screener: sc, Options: req.opts}
	if ws != nil {
		job.OptionsFor = optionsFor
	}
	runner := &monitor.Runner{Store: st, Chunk: req.chunk, Fanout: req.fanout, AfterChunk: func(run string, c, n int) {
		if req.progress != nil {
			req.progress(run, c, n)
		}
		if req.pause > 0 {
			time.Sleep(req.pause)
		}
	}}
	var alerts *alertSink
	if ws != nil {
		alerts = &alertSink{ws: ws, found: workspace.FoundReport{Opened: []int64{}, Realerted: []int64{}}}
		runner.Sink = alerts
	}
	skip := false
	if len(rep.Monitored) > 0 && !req.full {
		var before []lexscreen.Snapshot
		for src, id := range rep.Monitored {
			s, err := db.Snapshot(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("the snapshot %d of %s last monitored: %w", id, src, err)
			}
			before = append(before, s)
		}
		slices.SortFunc(before, func(x, y lexscreen.Snapshot) int { return int(x.ID - y.ID) })
		if sameSnapshots(before, after) {
			rep.Skipped = "no list changed since the last monitoring run (use --full to screen the whole book again)"
			skip = true
		} else {
			job.Kind, job.Before = monitor.KindDelta, before
			// Only the lists whose snapshot changed are read and compared.
			oldSnaps, newSnaps := changedSnapshots(before, after)
			if job.Delta, err = monitor.Compare(ctx, monitor.StoreEntities(db, oldSnaps), monitor.StoreEntities(db, newSnaps)); err != nil {
				return nil, err
			}
		}
	} else if job.Delta, err = listings(ctx, db, after); err != nil {
		return nil, err
	}
	var pending pendingReport
	var waitingUpTo int64
	if ws != nil {
		// The subjects waiting for a screening now: a full run covers
		// them; otherwise they are screened after the run.
		if waitingUpTo, pending.Waiting, err = ws.UnscreenedMark(ctx); err != nil {
			return nil, err
		}
	}
	if !skip {
		// A full run screens every subject forward: it needs the book's
		// subjects, not their index.
		keyed := job.Kind == monitor.KindDelta
		switch {
		case ws != nil:
			job.Book, err = bookIndex(ctx, ws, req.books, keyed)
		case keyed:
			job.Book, err = monitor.BuildIndex(ctx, book, 0)
		default:
			job.Book, err = monitor.LoadSubjects(ctx, book)
		}
		if err != nil {
			return nil, err
		}
		if ws == nil {
			sink, err := monitor.OpenJSONLSink(req.out)
			if err != nil {
				return nil, lexscreen.Errorf(lexscreen.EINVALID, "%v", err)
			}
			defer sink.Close()
			runner.Sink = sink
		}
		stats, err := runner.Run(ctx, job)
		if err != nil {
			return nil, err
		}
		stats.Unindexed = len(job.Book.Unindexed)
		rep.Stats = &stats
		if ws != nil && job.Kind == monitor.KindFull && stats.Failed == 0 && stats.Unindexed == 0 && waitingUpTo > 0 {
			if err := ws.MarkScreenedUpTo(ctx, waitingUpTo); err != nil {
				return nil, err
			}
			pending.Full = true
		}
	}
	if ws != nil {
		pending.Failed = []workspace.RowError{}
		if err := screenPending(ctx, ws, db, sc, optionsFor, alerts, &pending); err != nil {
			return nil, err
		}
		rep.Unscreened = &pending
		rep.Alerts, rep.Removed = &alerts.found, nonNilIDs(alerts.removed)
		if rep.Facts, err = a.checkFacts(ctx, st, runner, sc, req, optionsFor); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// nonNilIDs is ids, or an empty list.
func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// changedSnapshots returns the snapshots of before and of after that are
// not in both.
func changedSnapshots(before, after []lexscreen.Snapshot) (old, cur []lexscreen.Snapshot) {
	in := func(s lexscreen.Snapshot, set []lexscreen.Snapshot) bool {
		return slices.ContainsFunc(set, func(x lexscreen.Snapshot) bool { return x.ID == s.ID })
	}
	for _, s := range before {
		if !in(s, after) {
			old = append(old, s)
		}
	}
	for _, s := range after {
		if !in(s, before) {
			cur = append(cur, s)
		}
	}
	return old, cur
}

// sameSnapshots reports whether two snapshot sets are the same.
func sameSnapshots(a, b []lexscreen.Snapshot) bool {
	ids := func(s []lexscreen.Snapshot) []int64 {
		var out []int64
		for _, x := range s {
			out = append(out, x.ID)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(ids(a), ids(b))
}

func (a *app) printMonitor(rep *monitorReport) {
	w := a.out
	if rep.Skipped != "" {
		fmt.Fprintf(w, "Nothing to do: %s.\n", rep.Skipped)
	}
	if s := rep.Stats; s != nil {
		resumed := ""
		if s.Resumed {
			resumed = fmt.Sprintf(" (resumed: %d of %d chunks were already done)", s.Skipped, s.Chunks)
		}
		fmt.Fprintf(w, "Run %s, %s%s: %s subjects", s.Run, s.Kind, resumed, thousands(s.Subjects))
		if s.Kind == monitor.KindDelta {
			fmt.Fprintf(w, "; lists: %d listings added, %d changed, %d removed; %s subjects retrieved, %s screened",
				s.Added, s.Changed, s.Removed, thousands(s.Candidates), thousands(s.Screened))
		}
		where := "findings in " + rep.Findings
		if rep.Findings == "" {
			where = "see lexscreen alerts list"
		}
		fmt.Fprintf(w, ".\n%s subjects matched (%s pairs of subject and listed entity); %s (%.1fs)\n",
			thousands(s.Matched), thousands(s.Pairs), where, s.Elapsed.Seconds())
		if s.Remote > 0 {
			fmt.Fprintf(w, "%s chunks screened on workers; %s subjects they found screened again here for the alerts.\n",
				thousands(s.Remote), thousands(s.Confirmed))
		}
		if s.Failed > 0 || s.Unindexed > 0 {
			fmt.Fprintf(w, "%d subjects could not be screened and %d could not be indexed: fix their names or identifiers.\n", s.Failed, s.Unindexed)
		}
	}
	if al := rep.Alerts; al != nil {
		fmt.Fprintf(w, "Alerts: %d opened (%d re-alerts on a changed listing or subject), %d seen before, %d suppressed by approved false positives; %d annotated: listing removed.\n",
			len(al.Opened), len(al.Realerted), al.Unchanged, al.Suppressed, len(rep.Removed))
	}
	if u := rep.Unscreened; u != nil && (u.Waiting > 0 || u.Screened > 0 || len(u.Failed) > 0) {
		how := ""
		if u.Full {
			how = " (the whole book was screened)"
		}
		fmt.Fprintf(w, "Subjects not screened since they were imported or changed: %d waited%s; %d screened against every list, %d matched, %d could not be screened.\n",
			u.Waiting, how, u.Screened, u.Matched, len(u.Failed))
		for _, e := range u.Failed {
			fmt.Fprintf(a.errOut, "lexscreen: subject %s not screened (the next run tries again): %s\n", e.ID, e.Message)
		}
	}
	if f := rep.Facts; f != nil && f.Reevaluated != nil {
		fmt.Fprintf(w, "The legal facts changed: %d open alerts re-evaluated, %d with new obligations (see their history).\n",
			f.Reevaluated.Checked, len(f.Reevaluated.Changed))
		for id, why := range f.Failed {
			fmt.Fprintf(a.errOut, "lexscreen: alert %d not re-evaluated (it keeps its obligations; the next run tries again): %s\n", id, why)
		}
	}
	if len(rep.BadRows) > 0 {
		fmt.Fprintf(w, "%d records of %s were not read as subjects:\n", len(rep.BadRows), rep.Book)
		for i, b := range rep.BadRows {
			if i == 10 {
				fmt.Fprintf(w, "  ... (--json lists them all)\n")
				break
			}
			fmt.Fprintf(w, "  line %d (%s): %s\n", b.Line, b.ID, b.Message)
		}
	}
}
