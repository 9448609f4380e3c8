package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
)

// batchRow is one input row: a query, or why the row could not be read.
type batchRow struct {
	seq   int // 0-based order of the row in the input
	line  int // line in the input file
	query lexscreen.Query
	err   *lexscreen.Error
}

// batchLine is one output line for a row that could not be screened.
type batchError struct {
	ID    string           `json:"id"`
	Line  int              `json:"line"`
	Error *lexscreen.Error `json:"error"`
}

type batchSummary struct {
	Rows     int     `json:"rows"`
	Skipped  int     `json:"skipped"` // already in the output (resumed run)
	Screened int     `json:"screened"`
	Matched  int     `json:"matched"` // rows with at least one match
	Errors   int     `json:"errors"`
	Seconds  float64 `json:"seconds"`
	PerSec   float64 `json:"screenings_per_second"`
	Output   string  `json:"output"`
}

func (a *app) batchCommand() *cobra.Command {
	var f queryFlags
	var lf legalFlags
	var in, out string
	var workers int
	var restart bool
	cmd := &cobra.Command{
		Use:   "batch --input FILE --output FILE.jsonl",
		Short: "Screen a whole file of names in parallel",
		Long: `Screen every row of a CSV (with a header) or JSON-lines file and write one JSON result per line.
CSV columns are recognised case-insensitively: id, name or full_name, type or schema, dob or
date_of_birth or birth_date, country or nationality. JSON lines take the same keys (as in
` + "`screen --json`" + `'s query). Rows without an id are called row-N.

The run uses all cores and shows a progress bar. A bad row gets an error line in the output
({"id", "line", "error"}) and the run goes on. An interrupted run resumes where it stopped: rows
whose id is already in the output are skipped (use --restart to start over).`,
		Example: `  lexscreen batch --input customers.csv --output results.jsonl
  lexscreen batch --input payments.jsonl --output hits.jsonl --threshold 0.85`,
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
			opts, err := lf.options()
			if err != nil {
				return err
			}
			opts.Threshold, opts.Limit = f.threshold, f.limit
			return a.runBatch(f, opts, in, out, workers, restart)
		},
	}
	f.register(cmd)
	lf.register(cmd)
	cmd.Flags().StringVar(&in, "input", "", "CSV or JSON-lines file of names to screen")
	cmd.Flags().StringVar(&out, "output", "", "JSON-lines file of results (appended to when resuming)")
	cmd.Flags().IntVar(&workers, "workers", 0, "parallel screenings (default: all cores)")
	cmd.Flags().BoolVar(&restart, "restart", false, "ignore an existing output file and start over")
	return cmd
}

func (a *app) runBatch(f queryFlags, opts screening.Options, in, out string, workers int, restart bool) error {
	rows, total, err := openRows(in, f)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	if !restart {
		if done, err = completedIDs(out); err != nil {
			return err
		}
	}
	s, err := a.screener()
	if err != nil {
		return err
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if restart {
		flags = os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	}
	if dir := filepath.Dir(out); dir != "" {
		os.MkdirAll(dir, 0o755)
	}
	of, err := os.OpenFile(out, flags, 0o644)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", out, err)
	}
	defer of.Close()
	w := bufio.NewWriterSize(of, 1<<20)

	start := time.Now()
	sum := batchSummary{Output: out}
	bar := a.newCountBar(int64(total), "screening")
	type result struct {
		seq  int
		line []byte
		hit  bool
		bad  bool
	}
	jobs := make(chan batchRow, 4*workers)
	results := make(chan result, 4*workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			for r := range jobs {
				buf.Reset()
				res := result{seq: r.seq}
				if r.err == nil {
					out, err := s.Screen(r.query, opts)
					if err != nil {
						r.err = asAppError(err)
					} else {
						enc.Encode(out)
						res.hit = len(out.Matches) > 0
					}
				}
				if r.err != nil {
					buf.Reset()
					enc.Encode(batchError{ID: r.query.ID, Line: r.line, Error: r.err})
					res.bad = true
				}
				res.line = bytes.Clone(buf.Bytes())
				results <- res
			}
		}()
	}
	// Reader: feeds jobs in input order, skipping completed ids.
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		seq := 0
		for {
			r, err := rows()
			if err == io.EOF {
				readErr <- nil
				return
			}
			if err != nil {
				readErr <- err
				return
			}
			if done[r.query.ID] {
				sum.Skipped++
				if bar != nil {
					bar.Add(1)
				}
				continue
			}
			r.seq = seq
			seq++
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
	next := 0
	for r := range results {
		pending[r.seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			w.Write(p.line)
			sum.Rows++
			switch {
			case p.bad:
				sum.Errors++
			default:
				sum.Screened++
				if p.hit {
					sum.Matched++
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
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "writing %s: %v", out, err)
	}
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.PerSec = float64(sum.Screened+sum.Errors) / sum.Seconds
	}
	rerr := <-readErr
	if a.json {
		a.printJSON(sum)
	} else {
		fmt.Fprintf(a.errOut, "%s rows screened (%s matched, %s bad rows, %s already done) in %.1fs: %s screenings/s; results in %s\n",
			thousands(sum.Screened), thousands(sum.Matched), thousands(sum.Errors), thousands(sum.Skipped), sum.Seconds,
			thousands(int(sum.PerSec)), out)
	}
	if rerr != nil {
		if errors.Is(rerr, a.ctx.Err()) {
			return lexscreen.Errorf(lexscreen.EINVALID, "interrupted after %d rows; run the same command again to resume", sum.Rows)
		}
		return rerr
	}
	return nil
}

// completedIDs reads the ids already in an output file, and cuts off a last
// line that an interruption left incomplete.
func completedIDs(path string) (map[string]bool, error) {
	done := map[string]bool{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return done, nil
	}
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
	}
	if i := bytes.LastIndexByte(b, '\n'); i < len(b)-1 {
		if err := os.Truncate(path, int64(i+1)); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", path, err)
		}
		b = b[:i+1]
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r struct {
			ID    string `json:"id"`
			Query struct {
				ID string `json:"id"`
			} `json:"query"`
		}
		if json.Unmarshal(line, &r) != nil {
			continue
		}
		if r.Query.ID != "" {
			done[r.Query.ID] = true
		} else if r.ID != "" {
			done[r.ID] = true
		}
	}
	return done, nil
}

// openRows returns a reader of input rows and the number of rows (for
// progress). Each call of next returns one row or io.EOF.
func openRows(path string, f queryFlags) (next func() (batchRow, error), total int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, lexscreen.Errorf(lexscreen.EINVALID, "--input %s: %v", path, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	total = bytes.Count(data, []byte("\n"))
	ext := strings.ToLower(filepath.Ext(path))
	isJSON := ext == ".jsonl" || ext == ".ndjson" || ext == ".json" || bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
	if isJSON {
		return jsonRows(path, data, f), total, nil
	}
	n, err := csvRows(path, data, f)
	return n, total - 1, err
}

func applyDefaults(q *lexscreen.Query, f queryFlags) {
	if q.Schema == "" && f.schema != "" {
		q.Schema = lexscreen.ParseSchema(f.schema)
	}
}

func checkQuery(q *lexscreen.Query) *lexscreen.Error {
	if strings.TrimSpace(q.Name) == "" {
		return &lexscreen.Error{Code: lexscreen.EINVALID, Message: "no name"}
	}
	if q.BirthDate != "" {
		if _, err := lexscreen.ParseISODate(q.BirthDate); err != nil {
			return &lexscreen.Error{Code: lexscreen.EINVALID, Message: "dob: " + err.Error()}
		}
	}
	return nil
}

func csvRows(path string, data []byte, f queryFlags) (func() (batchRow, error), error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Line: 1, Message: "cannot read the header row: " + err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	pick := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	cID, cName := pick("id"), pick("name", "full_name")
	cType, cDOB, cCountry := pick("type", "schema"), pick("dob", "date_of_birth", "birth_date"), pick("country", "nationality")
	if cName < 0 {
		return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Line: 1,
			Message: "the header has no name column (name or full_name); found: " + strings.Join(header, ", ")}
	}
	row := 0
	return func() (batchRow, error) {
		rec, err := r.Read()
		if err == io.EOF {
			return batchRow{}, io.EOF
		}
		row++
		var br batchRow
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				br.line = pe.Line
			}
			br.query.ID = "row-" + strconv.Itoa(row)
			br.err = &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Line: br.line, Message: err.Error()}
			return br, nil
		}
		br.line, _ = r.FieldPos(0) // only valid for a record read without error
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		q := lexscreen.Query{ID: get(cID), Name: get(cName), BirthDate: get(cDOB)}
		if q.ID == "" {
			q.ID = "row-" + strconv.Itoa(row)
		}
		if t := get(cType); t != "" {
			q.Schema = lexscreen.ParseSchema(t)
		}
		if c := get(cCountry); c != "" {
			q.Countries = []string{c}
		}
		applyDefaults(&q, f)
		br.query = q
		if e := checkQuery(&q); e != nil {
			e.File, e.Line = path, br.line
			br.err = e
		}
		return br, nil
	}, nil
}

func jsonRows(path string, data []byte, f queryFlags) func() (batchRow, error) {
	lines := bytes.Split(data, []byte("\n"))
	i, row := 0, 0
	return func() (batchRow, error) {
		for i < len(lines) && len(bytes.TrimSpace(lines[i])) == 0 {
			i++
		}
		if i >= len(lines) {
			return batchRow{}, io.EOF
		}
		raw := lines[i]
		i++
		row++
		br := batchRow{line: i}
		var in struct {
			ID          string          `json:"id"`
			Name        string          `json:"name"`
			FullName    string          `json:"full_name"`
			Type        string          `json:"type"`
			Schema      string          `json:"schema"`
			DOB         string          `json:"dob"`
			DateOfBirth string          `json:"date_of_birth"`
			BirthDate   string          `json:"birth_date"`
			Country     json.RawMessage `json:"country"`
			Nationality json.RawMessage `json:"nationality"`
			Identifiers []string        `json:"identifiers"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		if err := dec.Decode(&in); err != nil {
			br.query.ID = "row-" + strconv.Itoa(row)
			br.err = &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Line: i, Message: "not a JSON object: " + err.Error()}
			return br, nil
		}
		q := lexscreen.Query{ID: in.ID, Name: first(in.Name, in.FullName), BirthDate: first(in.DOB, in.DateOfBirth, in.BirthDate),
			Identifiers: in.Identifiers}
		if q.ID == "" {
			q.ID = "row-" + strconv.Itoa(row)
		}
		if t := first(in.Type, in.Schema); t != "" {
			q.Schema = lexscreen.ParseSchema(t)
		}
		q.Countries = append(stringOrList(in.Country), stringOrList(in.Nationality)...)
		applyDefaults(&q, f)
		br.query = q
		if e := checkQuery(&q); e != nil {
			e.File, e.Line = path, i
			br.err = e
		}
		return br, nil
	}
}

func first(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func stringOrList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var l []string
	json.Unmarshal(raw, &l)
	return l
}
