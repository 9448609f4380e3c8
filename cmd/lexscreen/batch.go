package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
	"github.com/lexscreen/lexscreen/screening"
)

// batchResult is the output line of a screened row: the result, keyed by
// the row's number in the input.
type batchResult struct {
	Row int `json:"row"`
	lexscreen.Result
}

// batchError is the output line of a row that could not be screened.
type batchError struct {
	Row   int              `json:"row"`
	ID    string           `json:"id"`
	Line  int              `json:"line"`
	Error *lexscreen.Error `json:"error"`
}

// batchSummary is what a batch run did; with --json it is printed on stdout.
type batchSummary struct {
	Rows        int `json:"rows"`         // rows in the input
	Skipped     int `json:"skipped"`      // already screened by an earlier run (resumed)
	Screened    int `json:"screened"`     // screened in this run
	Matched     int `json:"matched"`      // rows with at least one match
	NotScreened int `json:"not_screened"` // rows with an error line
	Warned      int `json:"warned"`       // screened rows whose result carries warnings (dob ...)
	// ListWarnings are said once for the run, not on every row: a list
	// older than --max-list-age, no official list in use.
	ListWarnings []lexscreen.Warning `json:"list_warnings,omitempty"`
	DupIDs       []string            `json:"duplicate_ids,omitempty"`
	batchfile.Info
	Seconds  float64 `json:"seconds"`
	PerSec   float64 `json:"screenings_per_second"`
	Output   string  `json:"output"`
	Job      string  `json:"job,omitempty"` // --distributed: the job, in the results store
	ExitCode int     `json:"exit_code"`
}

// exitPartialCode is the error code that maps to exit code 7.
const exitPartialCode = "partial"

func (a *app) batchCommand() *cobra.Command {
	var f queryFlags
	var lf legalFlags
	var in, out, encoding string
	var workers int
	var restart bool
	var dist distFlags
	cmd := &cobra.Command{
		Use:   "batch --input FILE --output FILE.jsonl",
		Short: "Screen a whole file of names in parallel",
		Long: `Screen every row of a CSV file (with a header) or a JSON-lines file, and write exactly one JSON
line per row, in input order, each with the row's number ("row").

Columns (CSV headers or JSON keys) are recognised whatever their case, spacing or punctuation, with
the usual synonyms: id (customer id, reference ...), name (full name, customer name ...) or first
name / middle name / last name, type (schema, entity type: person, organization, vessel, aircraft),
dob (date of birth, birth date, born, year of birth ...), country (nationality, citizenship, country
of residence ...; several columns and "FR;DE" are all used), identifier (passport, tax id, LEI,
IMO ...). Columns not used are listed once. The delimiter (, ; tab |) is sniffed; a byte-order mark
is handled; a file that is not UTF-8 is read as Windows-1252 (Latin-1) with a warning (--encoding
to say otherwise). Rows without an id are called row-N.

Dates of birth are read leniently (1952-10-7, 30.03.1970, 03/30/1970, 7 September 1960, 24 Oct
1966, 19450328, ~1967, 1960-1962 ...); an ambiguous day/month order counts as both readings; a date
that still can't be read is dropped as evidence and the row is screened on the rest, with a
"warnings" entry on its result. "unknown", "N/A" and "-0-" mean no date.

A row that can't be screened (no name, an unreadable record) gets an error line
({"row", "id", "line", "error"}), the run goes on, and it ends with exit code 7 and the count of
rows not screened. An interrupted run resumes where it stopped: rows already screened (by row
number, their ids checked against the input) are kept, rows that errored are screened again, and
the output ends up exactly as an uninterrupted run would have written it (--restart to start over).
The summary goes to stderr, or to stdout as JSON with --json. The lists' warnings (a list older
than --max-list-age) are said once for the run, not on every row. With --strict, any warning (of
the lists, of the file, of a row) ends the run with exit code 8 (7 wins over it).` + distributedHelp,
		Example: `  lexscreen batch --input customers.csv --output results.jsonl
  lexscreen batch --input payments.jsonl --output hits.jsonl --threshold 0.85
  lexscreen batch --json --input book.csv --output out.jsonl --operator eu-bank   # summary as JSON`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in == "" || out == "" {
				return lexscreen.Errorf(lexscreen.EINVALID, "both --input and --output are required")
			}
			if err := f.check(); err != nil {
				return err
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			opts, asOf, err := lf.options()
			if err != nil {
				return err
			}
			opts.Threshold, opts.Limit = f.threshold, f.limit
			if dist.on {
				return a.runDistributedBatch(f, lf, batchPaths{in: in, out: out, encoding: encoding, asOf: asOf}, dist)
			}
			return a.runBatch(f, opts, batchPaths{in: in, out: out, encoding: encoding, asOf: asOf}, workers, restart)
		},
	}
	f.register(cmd)
	lf.register(cmd)
	cmd.Flags().StringVar(&in, "input", "", "CSV or JSON-lines file of names to screen")
	cmd.Flags().StringVar(&out, "output", "", "JSON-lines file of results (kept and completed when resuming)")
	cmd.Flags().StringVar(&encoding, "encoding", batchfile.EncodingAuto, "text encoding of --input: auto (UTF-8, else Windows-1252 with a warning), utf-8, windows-1252 or latin-1")
	cmd.Flags().IntVar(&workers, "workers", 0, "parallel screenings (default: all cores)")
	cmd.Flags().BoolVar(&restart, "restart", false, "ignore an existing output file and start over")
	dist.register(cmd)
	return cmd
}

// batchPaths are the files of a batch, and the date whose lists it
// screens against (zero: today's; see app.screenerAt).
type batchPaths struct {
	in, out, encoding string
	asOf              time.Time
}

// readInput reads the input file once; openInput makes a reader of its
// rows from those bytes (the first pass and the screening pass each take
// one).
func readInput(p batchPaths) ([]byte, error) {
	data, err := os.ReadFile(p.in)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "--input %s: %v", p.in, err)
	}
	return data, nil
}

func openInput(p batchPaths, data []byte) (*batchfile.Reader, error) {
	return batchfile.New(p.in, data, batchfile.Options{Encoding: p.encoding})
}

// inputCheck is what a first pass over the input learns: how many rows,
// which ids repeat, and whether an earlier output belongs to this input.
type inputCheck struct {
	rows   int
	dupIDs []string
}

// warnInput says on stderr what the input's reader warned of, the columns
// it did not use (not with --json), and the ids found more than once.
func (a *app) warnInput(p batchPaths, info batchfile.Info, check inputCheck) {
	for _, w := range info.Warnings {
		fmt.Fprintf(a.errOut, "lexscreen: warning: %s: %s\n", p.in, w)
	}
	if len(info.Ignored) > 0 && !a.json {
		fmt.Fprintf(a.errOut, "lexscreen: columns not used: %s\n", strings.Join(info.Ignored, ", "))
	}
	if len(check.dupIDs) > 0 {
		fmt.Fprintf(a.errOut, "lexscreen: warning: %d ids appear more than once (%s): results are keyed by row number\n",
			len(check.dupIDs), strings.Join(firstN(check.dupIDs, 5), ", "))
	}
}

func checkInput(p batchPaths, data []byte, done map[int]doneRow) (inputCheck, error) {
	r, err := openInput(p, data)
	if err != nil {
		return inputCheck{}, err
	}
	var c inputCheck
	seen := map[string]int{}
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return c, err
		}
		c.rows++
		if first, ok := seen[row.Query.ID]; ok {
			if first > 0 {
				c.dupIDs = append(c.dupIDs, fmt.Sprintf("%s (rows %d and %d)", row.Query.ID, first, row.Seq))
				seen[row.Query.ID] = -1 // listed once
			}
		} else {
			seen[row.Query.ID] = row.Seq
		}
		if d, ok := done[row.Seq]; ok && d.id != row.Query.ID {
			return c, lexscreen.Errorf(lexscreen.EINVALID,
				"--output %s was not made from this input: its row %d is %q, the input's is %q; use --restart or another --output",
				p.out, row.Seq, d.id, row.Query.ID)
		}
	}
	for row := range done {
		if row > c.rows {
			return c, lexscreen.Errorf(lexscreen.EINVALID,
				"--output %s was not made from this input: it has row %d, the input %d rows; use --restart or another --output", p.out, row, c.rows)
		}
	}
	return c, nil
}

func (a *app) runBatch(f queryFlags, opts screening.Options, p batchPaths, workers int, restart bool) error {
	start := time.Now()
	if dir := filepath.Dir(p.out); dir != "" {
		os.MkdirAll(dir, 0o755)
	}
	done := map[int]doneRow{}
	if restart {
		if err := os.WriteFile(p.out, nil, 0o644); err != nil {
			return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", p.out, err)
		}
	} else {
		var err error
		if done, err = readDone(p.out); err != nil {
			return err
		}
	}
	data, err := readInput(p)
	if err != nil {
		return err
	}
	check, err := checkInput(p, data, done)
	if err != nil {
		return err
	}
	if err := keepDone(p.out, done); err != nil {
		return err
	}
	rows, err := openInput(p, data)
	if err != nil {
		return err
	}
	info := rows.Info()
	a.warnInput(p, info, check)
	s, err := a.screenerAt(p.asOf)
	if err != nil {
		return err
	}
	// The lists' warnings are the same for every row: said once, here.
	listWarnings := s.ListWarnings(a.maxListAge)
	a.printWarnings(listWarnings)
	opts.OmitListWarnings = true
	of, err := os.OpenFile(p.out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", p.out, err)
	}
	defer of.Close()
	w := bufio.NewWriterSize(of, 1<<20)

	sum := batchSummary{Output: p.out, Rows: check.rows, Skipped: len(done), DupIDs: check.dupIDs, ListWarnings: listWarnings}
	bar := a.newCountBar(int64(check.rows), "screening")
	if bar != nil {
		bar.Add(len(done))
	}
	type result struct {
		seq int
		rowOutcome
	}
	jobs := make(chan batchfile.Row, 4*workers)
	results := make(chan result, 4*workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				results <- result{seq: r.Seq, rowOutcome: screenRow(s, r, f.schema, opts, p.in)}
			}
		}()
	}
	// Reader: feeds the rows not yet done, in input order.
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		for {
			r, err := rows.Next()
			if err == io.EOF {
				readErr <- nil
				return
			}
			if err != nil {
				readErr <- err
				return
			}
			if _, ok := done[r.Seq]; ok {
				continue
			}
			select {
			case jobs <- r:
			case <-a.ctx.Done():
				readErr <- a.ctx.Err()
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	// Writer: keeps input order.
	pending := map[int]result{}
	written := 0
	next := nextRow(done, 1)
	maxDone := 0
	for row := range done {
		maxDone = max(maxDone, row)
	}
	outOfOrder := false
	for r := range results {
		pending[r.seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if next < maxDone {
				outOfOrder = true
			}
			next = nextRow(done, next+1)
			w.Write(p.line)
			written++
			switch {
			case p.bad:
				sum.NotScreened++
			default:
				sum.Screened++
				if p.hit {
					sum.Matched++
				}
				if p.warn {
					sum.Warned++
				}
			}
			if bar != nil {
				bar.Add(1)
			}
		}
	}
	if bar != nil {
		bar.Finish()
		bar.Clear()
	}
	if err := w.Flush(); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "writing %s: %v", p.out, err)
	}
	rerr := <-readErr
	if rerr == nil && outOfOrder {
		// Rows that errored before were screened again and appended:
		// put the output back in input order.
		if err := sortOutput(p.out); err != nil {
			return err
		}
	}
	sum.Info = info
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.PerSec = float64(sum.Screened+sum.NotScreened) / sum.Seconds
	}
	if rerr != nil {
		if errors.Is(rerr, a.ctx.Err()) {
			return lexscreen.Errorf(lexscreen.EINVALID, "interrupted after %d rows; run the same command again to resume", sum.Skipped+written)
		}
		return rerr
	}
	warnings := len(listWarnings) + sum.Warned + len(info.Warnings) + len(check.dupIDs)
	return a.finishBatch(&sum, warnings, p.out, func() {
		fmt.Fprintf(a.errOut, "%s rows: %s screened (%s matched, %s with warnings), %s not screened, %s already done; %.1fs, %s screenings/s; results in %s\n",
			thousands(sum.Rows), thousands(sum.Screened), thousands(sum.Matched), thousands(sum.Warned), thousands(sum.NotScreened),
			thousands(sum.Skipped), sum.Seconds, thousands(int(sum.PerSec)), p.out)
	})
}

// finishBatch ends a batch run, local or distributed: it sets the exit
// code (rows not screened, else warnings under --strict), prints the
// summary (JSON, or text by printText), and says loudly how many rows were
// not screened and where their error lines are.
func (a *app) finishBatch(sum *batchSummary, warnings int, out string, printText func()) error {
	switch {
	case sum.NotScreened > 0:
		sum.ExitCode = exitPartial
	case a.strict && warnings > 0:
		sum.ExitCode = exitWarnings
	}
	if a.json {
		a.printJSON(sum)
	} else {
		printText()
	}
	if sum.NotScreened > 0 {
		msg := fmt.Sprintf("%d of %d rows were not screened (their error lines are in %s)", sum.NotScreened, sum.Rows, out)
		fmt.Fprintf(a.errOut, "lexscreen: %s\n", msg)
		return silentError{lexscreen.Errorf(exitPartialCode, "%s", msg)}
	}
	return a.strictCheck(warnings)
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
	}
	return s
}

// nextRow returns the first row number from n on that is not done.
func nextRow(done map[int]doneRow, n int) int {
	for {
		if _, ok := done[n]; !ok {
			return n
		}
		n++
	}
}

// doneRow is a screened row already in the output: its id and where its
// line is.
type doneRow struct {
	id       string
	off, len int64
}

// readDone reads the rows already screened in an output file (a resumed
// run). Error lines and a last line cut short are not done: they are
// screened again.
func readDone(path string) (map[int]doneRow, error) {
	done := map[int]doneRow{}
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return done, nil
	}
	err := scanOutput(path, false, func(n int, line []byte, off int64) error {
		var r struct {
			Row   *int            `json:"row"`
			Error json.RawMessage `json:"error"`
			Query struct {
				ID string `json:"id"`
			} `json:"query"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Line: n,
				Message: "not a lexscreen batch output line; use --restart or another --output"}
		}
		if r.Row == nil {
			return &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Line: n,
				Message: "the output has no row numbers (written by an older lexscreen); use --restart or another --output"}
		}
		if len(r.Error) == 0 {
			done[*r.Row] = doneRow{id: r.Query.ID, off: off, len: int64(len(line))}
		}
		return nil
	})
	return done, err
}

// scanOutput calls fn with the number, bytes (newline included) and offset
// of every non-blank line of an output file. A last line without its
// newline is passed only when partial is true (else it was cut short).
func scanOutput(path string, partial bool, fn func(n int, line []byte, off int64) error) error {
	f, err := os.Open(path)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var off int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
		}
		if err == io.EOF && (!partial || len(line) == 0) {
			return nil
		}
		start := off
		off += int64(len(line))
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(n, line, start); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// keepDone rewrites the output with only the done rows, in row order, when
// it holds anything else (error lines, a cut line) or is out of order. The
// file is replaced atomically.
func keepDone(path string, done map[int]doneRow) error {
	rows := make([]int, 0, len(done))
	for r := range done {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	st, err := os.Stat(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
	}
	clean := true
	var off int64
	for _, r := range rows {
		if done[r].off != off {
			clean = false
			break
		}
		off += done[r].len
	}
	if clean && off == st.Size() {
		return nil
	}
	src, err := os.Open(path)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
	}
	defer src.Close()
	return replaceFile(path, func(w *bufio.Writer) error {
		for _, r := range rows {
			d := done[r]
			if _, err := io.Copy(w, io.NewSectionReader(src, d.off, d.len)); err != nil {
				return err
			}
		}
		return nil
	})
}

// sortOutput puts the lines of an output file in row order.
func sortOutput(path string) error {
	done, err := readAll(path)
	if err != nil {
		return err
	}
	return keepDone(path, done)
}

// readAll indexes every line of an output file by row (errors included).
func readAll(path string) (map[int]doneRow, error) {
	all := map[int]doneRow{}
	err := scanOutput(path, true, func(_ int, line []byte, off int64) error {
		if row, ok := leadingRow(line); ok {
			all[row] = doneRow{off: off, len: int64(len(line))}
		}
		return nil
	})
	return all, err
}

// leadingRow reads the row number that starts every output line
// ({"row":12,...}).
func leadingRow(line []byte) (int, bool) {
	const prefix = `{"row":`
	if !bytes.HasPrefix(line, []byte(prefix)) {
		return 0, false
	}
	rest := line[len(prefix):]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(string(rest[:i]))
	return n, err == nil
}

// replaceFile writes a new version of path through a temporary file and
// renames it into place, so an interruption leaves the old or the new.
func replaceFile(path string, write func(*bufio.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(w); err != nil {
		tmp.Close()
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "rewriting %s: %v", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "rewriting %s: %v", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "rewriting %s: %v", path, err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), path); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "rewriting %s: %v", path, err)
	}
	return nil
}
