package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/distributed"
	"github.com/lexscreen/lexscreen/screening"
)

// distFlags are the flags of `batch --distributed`.
type distFlags struct {
	on               bool
	natsURL, results string
	chunkRows        int
}

func (d *distFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&d.on, "distributed", false, "screen on `lexscreen worker` processes through NATS JetStream (needs --nats and --results)")
	cmd.Flags().StringVar(&d.natsURL, "nats", os.Getenv("LEXSCREEN_NATS"), "with --distributed: NATS server URL ($LEXSCREEN_NATS)")
	cmd.Flags().StringVar(&d.results, "results", os.Getenv("LEXSCREEN_RESULTS"), "with --distributed: the workers' results store, a SQLite file or a postgres:// URL ($LEXSCREEN_RESULTS)")
	cmd.Flags().IntVar(&d.chunkRows, "chunk-rows", distributed.DefaultChunkRows, "with --distributed: rows per chunk of work")
}

// distributedHelp is added to batch --help.
const distributedHelp = `

With --distributed the rows are not screened here: they are published in chunks (--chunk-rows) on
the NATS JetStream work stream, screened by ` + "`lexscreen worker`" + ` processes (on this machine or
others, started before or after), and their results, stored by the workers in --results, are
written to --output in row order, line for line as a local run would write them. Workers must
have the same lists (source and version) as this data directory. A job is named by its input
and options: running the same command again after an interruption screens only the rows that
have no result yet. A row whose chunk was given up (its workers died --max-deliver times, or
refused it) gets an error line and the run ends with exit code 7, naming the chunk and why.`

func (a *app) runDistributedBatch(f queryFlags, lf legalFlags, p batchPaths, d distFlags) error {
	start := time.Now()
	switch {
	case d.natsURL == "":
		return lexscreen.Errorf(lexscreen.EINVALID, "--distributed needs --nats: the URL of the NATS server the workers pull from")
	case d.results == "":
		return lexscreen.Errorf(lexscreen.EINVALID, "--distributed needs --results: the results store the workers write to (a SQLite file or a postgres:// URL)")
	case d.chunkRows <= 0:
		return lexscreen.Errorf(lexscreen.EINVALID, "--chunk-rows %d: want at least 1", d.chunkRows)
	}
	data, err := readInput(p)
	if err != nil {
		return err
	}
	check, err := checkInput(p, data, nil)
	if err != nil {
		return err
	}
	reader, err := openInput(p, data)
	if err != nil {
		return err
	}
	rows := make([]distributed.Row, 0, check.rows)
	for {
		r, err := reader.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		rows = append(rows, distributed.Row{Seq: r.Seq, Line: r.Line, Query: r.Query, Err: r.Err})
	}
	info := reader.Info()
	a.warnInput(p, info, check)
	spec, listWarnings, err := a.distributedSpec(f, lf, p)
	if err != nil {
		return err
	}
	a.printWarnings(listWarnings)
	spec.Job = distributed.JobID(data, spec)

	res, err := distributed.OpenResults(a.ctx, d.results)
	if err != nil {
		return err
	}
	defer res.Close()
	nc, err := nats.Connect(d.natsURL, nats.Name("lexscreen batch"))
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "--nats %s: %v", d.natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "--nats %s: %v", d.natsURL, err)
	}
	sub, err := distributed.Submit(a.ctx, nc, js, res, spec, rows, d.chunkRows)
	if err != nil {
		return err
	}
	defer sub.Close()
	a.note("Job %s: %s rows, %d chunk(s) published (%s rows already stored).", spec.Job, thousands(len(rows)), sub.Chunks,
		thousands(len(rows)-min(len(rows), sub.Chunks*d.chunkRows)))
	bar := a.newCountBar(int64(len(rows)), "screening on workers")
	warnedIdle := false
	final, err := sub.Wait(a.ctx, 500*time.Millisecond, func(pr distributed.Progress) {
		if bar != nil {
			bar.Set(pr.Stored)
		}
		if pr.Idle && !warnedIdle {
			warnedIdle = true
			fmt.Fprintf(a.errOut, "lexscreen: warning: no worker is pulling from %s on %s: start `lexscreen worker --nats %s --results %s`\n",
				distributed.StreamName, d.natsURL, d.natsURL, d.results)
		}
	})
	if bar != nil {
		bar.Finish()
		bar.Clear()
	}
	if err != nil {
		if a.ctx.Err() != nil {
			return lexscreen.Errorf(lexscreen.EINVALID, "interrupted with %d of %d rows stored; the workers go on: run the same command again to collect job %s", final.Stored, len(rows), spec.Job)
		}
		return err
	}
	for _, l := range final.Lost {
		fmt.Fprintf(a.errOut, "lexscreen: chunk %s lost: %s\n", l.Chunk, l.Reason)
	}
	sum, err := writeDistributedOutput(a, p.out, spec.Job, rows, res, final.Lost)
	if err != nil {
		return err
	}
	sum.Rows, sum.DupIDs, sum.ListWarnings, sum.Info = len(rows), check.dupIDs, listWarnings, info
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.PerSec = float64(sum.Screened+sum.NotScreened) / sum.Seconds
	}
	warnings := len(listWarnings) + sum.Warned + len(info.Warnings) + len(check.dupIDs)
	return a.finishBatch(&sum, warnings, p.out, func() {
		fmt.Fprintf(a.errOut, "%s rows: %s screened (%s matched, %s with warnings), %s not screened; %.1fs, %s screenings/s; results in %s (job %s)\n",
			thousands(sum.Rows), thousands(sum.Screened), thousands(sum.Matched), thousands(sum.Warned), thousands(sum.NotScreened),
			sum.Seconds, thousands(int(sum.PerSec)), p.out, spec.Job)
	})
}

// distributedSpec is what the workers need to screen as this run would,
// and the lists' warnings, worked out from the store's snapshots without
// building an index here.
func (a *app) distributedSpec(f queryFlags, lf legalFlags, p batchPaths) (distributed.Spec, []lexscreen.Warning, error) {
	spec := distributed.Spec{Input: p.in, Threshold: f.threshold, Limit: f.limit, Schema: f.schema,
		Operator: lf.operator, Date: lf.date, CurrentLists: lf.currentLists}
	if strings.HasSuffix(lf.operator, ".yaml") || strings.HasSuffix(lf.operator, ".yml") || strings.ContainsRune(lf.operator, '/') {
		b, err := os.ReadFile(lf.operator)
		if err != nil {
			return spec, nil, lexscreen.Errorf(lexscreen.EINVALID, "--operator %s: %v", lf.operator, err)
		}
		spec.OperatorYAML = b
	}
	for _, path := range lf.regimes {
		b, err := os.ReadFile(path)
		if err != nil {
			return spec, nil, lexscreen.Errorf(lexscreen.EINVALID, "--regimes %s: %v", path, err)
		}
		spec.Regimes = append(spec.Regimes, distributed.Overlay{Name: path, YAML: b})
	}
	if err := a.ensureLists(); err != nil {
		return spec, nil, err
	}
	db, err := a.store()
	if err != nil {
		return spec, nil, err
	}
	var snaps []lexscreen.Snapshot
	var missing []lexscreen.Warning
	ageAt := time.Now()
	if screening.Past(p.asOf) {
		if snaps, missing, err = screening.SnapshotsAt(a.ctx, db, p.asOf); err != nil {
			return spec, nil, err
		}
		ageAt = p.asOf
	} else if snaps, err = db.Current(a.ctx); err != nil {
		return spec, nil, err
	}
	lists := screening.ListVersions(snaps, ageAt)
	spec.Lists = distributed.ListsFingerprint(lists)
	return spec, append(missing, screening.ListWarnings(lists, a.maxListAge)...), nil
}

// writeDistributedOutput writes a job's results to path in row order, one
// line per row: the stored line, or an error line for a row without a
// result. It returns the counts.
func writeDistributedOutput(a *app, path, job string, rows []distributed.Row, res distributed.Results, lost []distributed.LostChunk) (batchSummary, error) {
	sum := batchSummary{Output: path, Job: job}
	if dir := filepath.Dir(path); dir != "" {
		os.MkdirAll(dir, 0o755)
	}
	reason := "no worker stored a result for this row"
	if len(lost) > 0 {
		var names []string
		for _, l := range lost {
			names = append(names, l.Chunk+": "+l.Reason)
		}
		reason += " (chunks given up: " + strings.Join(firstN(names, 3), "; ") + ")"
	}
	reason += "; run the same command again to screen it"
	next := 0 // index in rows of the next row to write
	missing := func(w *bufio.Writer, upTo int) {
		for ; next < len(rows) && rows[next].Seq < upTo; next++ {
			r := rows[next]
			line, _ := jsonLine(batchError{Row: r.Seq, ID: r.Query.ID, Line: r.Line,
				Error: &lexscreen.Error{Code: lexscreen.EUNAVAILABLE, Message: reason}})
			w.Write(line)
			sum.NotScreened++
		}
	}
	err := replaceFile(path, func(w *bufio.Writer) error {
		err := res.Each(a.ctx, job, func(r distributed.Result) error {
			missing(w, r.Row)
			if next >= len(rows) || rows[next].Seq != r.Row {
				return lexscreen.Errorf(lexscreen.EINTERNAL, "results store: job %s has a result for row %d, which the input does not have", job, r.Row)
			}
			next++
			w.Write(r.Line)
			switch {
			case r.Status&distributed.NotScreened != 0:
				sum.NotScreened++
			default:
				sum.Screened++
				if r.Status&distributed.Matched != 0 {
					sum.Matched++
				}
				if r.Status&distributed.Warned != 0 {
					sum.Warned++
				}
			}
			return nil
		})
		missing(w, int(^uint(0)>>1))
		return err
	})
	return sum, err
}

// jsonLine is v as one JSON line, as batch's encoder writes it.
func jsonLine(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return append(b, '\n'), err
}
