package distributed_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/distributed"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/source/formats"
)

// unUpdate is a list update made from the UN Security Council list
// bundled in the binary: every 7th entity is new in the newer version,
// every 11th changed (an alias added), every 13th removed. Worker
// processes build the same newer list to screen against.
type unUpdate struct {
	before, after []*lexscreen.Entity
	screener      *screening.Screener
}

var (
	unOnce sync.Once
	unFix  *unUpdate
	unErr  error
)

func unListUpdate() (*unUpdate, error) {
	unOnce.Do(func() {
		var es []*lexscreen.Entity
		for _, l := range bundled.Lists() {
			if l.Source != "un-sc" {
				continue
			}
			_, unErr = formats.ByID(l.Format).Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error {
				es = append(es, e)
				return nil
			})
		}
		if unErr != nil {
			return
		}
		f := &unUpdate{}
		for i, e := range es {
			switch {
			case i%7 == 0:
				f.after = append(f.after, e)
			case i%11 == 0 && len(e.Names) > 1:
				old := *e
				old.Names = e.Names[:len(e.Names)-1]
				f.before, f.after = append(f.before, &old), append(f.after, e)
			case i%13 == 0:
				f.before = append(f.before, e)
			default:
				f.before, f.after = append(f.before, e), append(f.after, e)
			}
		}
		b := match.NewBuilder(nil)
		for _, e := range f.after {
			b.Add(e)
		}
		f.screener = screening.New(b.Build(), "test")
		unFix = f
	})
	return unFix, unErr
}

// A test worker process screens monitoring chunks against the UN list's
// newer version, slowly enough to be killed mid-run.
func init() {
	distributed.RegisterTestScreen("monitor-un", func() distributed.ScreenFunc {
		return func(ctx context.Context, c distributed.Chunk) ([]distributed.Result, error) {
			f, err := unListUpdate()
			if err != nil {
				return nil, err
			}
			time.Sleep(100 * time.Millisecond)
			return monitor.ScreenChunk(ctx, f.screener, c)
		}
	})
}

// monitorJobs are the two kinds of run on one book: a full re-screen and
// the delta of the list update.
func monitorJobs(t *testing.T) (*unUpdate, *monitor.BookIndex, []monitor.Job) {
	f, err := unListUpdate()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var planted []*lexscreen.Entity
	for _, e := range f.after {
		if e.Schema == lexscreen.SchemaPerson || e.Schema == lexscreen.SchemaOrganization {
			planted = append(planted, e)
		}
	}
	subjects, variants := monitor.SyntheticBook(17, 3000, planted, 0.08)
	// Some subjects, variants of listed names among them, are of a
	// profile no one knows: failures, which must be reported alike.
	for i := range subjects {
		if _, v := variants[subjects[i].ID]; (v && i%4 == 0) || i%500 == 5 {
			subjects[i].Operator = "no-such-profile"
		}
	}
	book, err := monitor.NewMemBook(subjects)
	if err != nil {
		t.Fatal(err)
	}
	bi, err := monitor.BuildIndex(ctx, book, 0)
	if err != nil {
		t.Fatal(err)
	}
	full, err := monitor.Listings(ctx, monitor.EntitySlice(f.after))
	if err != nil {
		t.Fatal(err)
	}
	delta, err := monitor.Compare(ctx, monitor.EntitySlice(f.before), monitor.EntitySlice(f.after))
	if err != nil {
		t.Fatal(err)
	}
	if len(delta.Added) == 0 || len(delta.Changed) == 0 || len(delta.Removed) == 0 {
		t.Fatalf("the update adds %d, changes %d, removes %d: want some of each", len(delta.Added), len(delta.Changed), len(delta.Removed))
	}
	before := []lexscreen.Snapshot{{ID: 1, Source: "un-sc"}}
	after := []lexscreen.Snapshot{{ID: 2, Source: "un-sc"}}
	optionsFor := func(op string) (screening.Options, error) {
		if op == "no-such-profile" {
			return screening.Options{}, lexscreen.Errorf(lexscreen.EINVALID, "unknown operator profile %q", op)
		}
		return screening.Options{}, nil
	}
	return f, bi, []monitor.Job{
		{Kind: monitor.KindFull, After: after, Book: bi, Screener: f.screener, Delta: full, OptionsFor: optionsFor},
		{Kind: monitor.KindDelta, Before: before, After: after, Book: bi, Screener: f.screener, Delta: delta, OptionsFor: optionsFor},
	}
}

// sinkPairs is what a MemSink was given: each (subject, entity) pair with
// its score and the listing's fingerprint, the removals, and the pairs
// given more than once.
func sinkPairs(t *testing.T, s *monitor.MemSink, run string) (map[[2]string]string, []string) {
	t.Helper()
	out := map[[2]string]string{}
	for _, r := range s.Results {
		for _, m := range r.Result.Matches {
			k := [2]string{r.Subject.ID, m.Entity.ID}
			if _, dup := out[k]; dup {
				t.Errorf("pair %v delivered twice", k)
			}
			b, _ := json.Marshal(struct {
				Score float64
				FP    string
			}{m.Score, r.EntityFingerprints[m.Entity.ID]})
			out[k] = string(b)
		}
	}
	removed := slices.Clone(s.Removals[run])
	slices.Sort(removed)
	return out, removed
}

// TestMonitorFanoutKilledWorker runs a full re-screen and a delta of a
// list update over worker processes, one killed with SIGKILL mid-run and
// another started, one killing itself between storing a chunk and acking
// it: the Sink gets exactly the pairs a local run gives it, each once,
// and the same failures.
func TestMonitorFanoutKilledWorker(t *testing.T) {
	_, _, jobs := monitorJobs(t)
	url := distributed.NATSForTest(t)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "results.db")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := distributed.OpenResults(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)

	for _, job := range jobs {
		t.Run(job.Kind, func(t *testing.T) {
			local, localStats := runMonitor(t, ctx, filepath.Join(dir, job.Kind+"-local.db"), job, nil)
			wantPairs, wantRemoved := sinkPairs(t, local, localStats.Run)
			if len(wantPairs) < 20 {
				t.Fatalf("the local run found %d pairs: too few to test with", len(wantPairs))
			}

			dying := distributed.StartTestWorker(t, url, dsn, "monitor-un", 3)
			victim := distributed.StartTestWorker(t, url, dsn, "monitor-un", 0)
			steady := distributed.StartTestWorker(t, url, dsn, "monitor-un", 0)
			var late *distributed.TestWorker
			killedAt := 0
			fan := &monitor.Fanout{NC: nc, JS: js, Results: res, Poll: 50 * time.Millisecond, Progress: func(p distributed.Progress) {
				if late == nil && p.Stored >= p.Rows/3 {
					killedAt = p.Stored
					victim.Kill()
					late = distributed.StartTestWorker(t, url, dsn, "monitor-un", 0)
				}
			}}
			dist, distStats := runMonitor(t, ctx, filepath.Join(dir, job.Kind+"-dist.db"), job, fan)
			if late == nil {
				t.Fatal("the run ended before a worker could be killed")
			}
			t.Logf("%s run: %d chunks on workers, a worker killed at %d of them; %d subjects screened, %d confirmed here, %d pairs",
				job.Kind, distStats.Remote, killedAt, distStats.Screened, distStats.Confirmed, distStats.Pairs)
			if err := dying.Wait(); err == nil {
				t.Error("the worker meant to die after storing its 3rd chunk ended normally")
			}

			gotPairs, gotRemoved := sinkPairs(t, dist, distStats.Run)
			for k, v := range wantPairs {
				if got, ok := gotPairs[k]; !ok {
					t.Errorf("pair %v of the local run is missing", k)
				} else if got != v {
					t.Errorf("pair %v: %s, the local run %s", k, got, v)
				}
			}
			for k := range gotPairs {
				if _, ok := wantPairs[k]; !ok {
					t.Errorf("pair %v is not in the local run", k)
				}
			}
			if !slices.Equal(gotRemoved, wantRemoved) {
				t.Errorf("removals %v, the local run %v", gotRemoved, wantRemoved)
			}
			if dist.Repeats != 0 || local.Repeats != 0 {
				t.Errorf("pairs delivered again: %d (distributed), %d (local); want none", dist.Repeats, local.Repeats)
			}
			if distStats.Screened != localStats.Screened || distStats.Matched != localStats.Matched || distStats.Pairs != localStats.Pairs ||
				distStats.Failed != localStats.Failed || !slices.Equal(distStats.Failures, localStats.Failures) {
				t.Errorf("distributed stats %+v\nlocal stats %+v", distStats, localStats)
			}
			if localStats.Failed == 0 {
				t.Error("no subject failed: the unknown profiles were not tested")
			}
			if n, _ := res.Count(ctx, monitor.FanoutJob(distStats.Run)); n != 0 {
				t.Errorf("%d results of the finished run left in the results store", n)
			}
			var already, redelivered int
			for _, w := range []*distributed.TestWorker{steady, late} {
				_, _, a, d := w.Stop(t)
				already, redelivered = already+a, redelivered+d
			}
			t.Logf("survivors: %d chunks redelivered, %d found already stored", redelivered, already)
		})
	}
}

// runMonitor runs job with a fresh monitoring store at path, over fan's
// workers when fan is set, into a MemSink.
func runMonitor(t *testing.T, ctx context.Context, path string, job monitor.Job, fan *monitor.Fanout) (*monitor.MemSink, monitor.Stats) {
	t.Helper()
	st, err := monitor.OpenStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sink := monitor.NewMemSink()
	r := &monitor.Runner{Store: st, Sink: sink, Chunk: 100, Fanout: fan}
	stats, err := r.Run(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	return sink, stats
}

// A chunk no worker can screen stops the run, named, after the other
// chunks were delivered and checkpointed; the same run again, with a
// worker that can, screens that chunk alone and ends with the local
// run's pairs, none twice.
func TestMonitorFanoutLostChunkResumes(t *testing.T) {
	f, _, jobs := monitorJobs(t)
	job := jobs[0] // the full re-screen
	url := distributed.NATSForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	res, err := distributed.OpenResults(ctx, filepath.Join(dir, "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	cons, err := distributed.EnsureConsumer(ctx, js, distributed.QueueConfig{AckWait: 2 * time.Second, MaxDeliver: 2})
	if err != nil {
		t.Fatal(err)
	}
	startWorker := func(refuse int) func() {
		w := &distributed.Worker{Consumer: cons, Results: res, Slots: 2, RetryDelay: 50 * time.Millisecond, FetchWait: 200 * time.Millisecond,
			Screen: func(ctx context.Context, c distributed.Chunk) ([]distributed.Result, error) {
				if c.Part == refuse {
					return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "this worker has other lists")
				}
				return monitor.ScreenChunk(ctx, f.screener, c)
			}}
		wctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { w.Run(wctx); close(done) }()
		return func() { stop(); <-done }
	}

	local, localStats := runMonitor(t, ctx, filepath.Join(dir, "local.db"), job, nil)
	wantPairs, _ := sinkPairs(t, local, localStats.Run)

	st, err := monitor.OpenStore(ctx, filepath.Join(dir, "dist.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sink := monitor.NewMemSink()
	fan := &monitor.Fanout{NC: nc, JS: js, Results: res, Poll: 50 * time.Millisecond}
	stop := startWorker(7)
	_, err = (&monitor.Runner{Store: st, Sink: sink, Chunk: 100, Fanout: fan}).Run(ctx, job)
	stop()
	var le *lexscreen.Error
	if !errors.As(err, &le) || le.Code != lexscreen.EUNAVAILABLE || !strings.Contains(err.Error(), "chunk 7: delivered 2 times") {
		t.Fatalf("a run with chunk 7 refused by every worker: %v; want it named, unavailable", err)
	}
	runs, _ := st.Runs(ctx)
	if len(runs) != 1 || runs[0].State != "running" || runs[0].Done != runs[0].Chunks-1 {
		t.Fatalf("after the lost chunk: %+v; want the run unfinished with every other chunk done", runs)
	}

	stop = startWorker(-1)
	defer stop()
	stats, err := (&monitor.Runner{Store: st, Sink: sink, Chunk: 100, Fanout: fan}).Run(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if !stats.Resumed || stats.Remote != 1 || stats.Skipped != stats.Chunks-1 {
		t.Errorf("the run again: %+v; want it resumed with the lost chunk alone", stats)
	}
	gotPairs, _ := sinkPairs(t, sink, stats.Run)
	if len(gotPairs) != len(wantPairs) || sink.Repeats != 0 {
		t.Errorf("%d pairs (%d delivered again), the local run %d", len(gotPairs), sink.Repeats, len(wantPairs))
	}
	for k, v := range wantPairs {
		if gotPairs[k] != v {
			t.Errorf("pair %v: %q, the local run %q", k, gotPairs[k], v)
		}
	}
}
