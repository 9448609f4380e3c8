package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
	"github.com/lexscreen/lexscreen/server"
)

// A batch job screens an uploaded customer file through the API's
// POST /v1/screen/batch, in chunks, as the user who uploaded it (the
// session cookie and CSRF token of the upload), in the background. Jobs
// live in memory, the last maxJobs of them: a restart forgets them (the
// screenings themselves are in the audit chain).

// batchChunk is how many rows go to the API in one request.
const batchChunk = 250

// maxJobs is how many jobs the interface keeps.
const maxJobs = 50

// batchRow is one row of a job: its request and its answer.
type batchRow struct {
	Seq    int                  `json:"seq"`
	Line   int                  `json:"line"`
	Req    server.ScreenRequest `json:"request"`
	Result *lexscreen.Result    `json:"result,omitempty"`
	Error  string               `json:"error,omitempty"` // why the row was not screened
}

// Hit reports whether the row matched a listed entity.
func (r batchRow) Hit() bool { return r.Result != nil && len(r.Result.Matches) > 0 }

// batchJob is a file being screened.
type batchJob struct {
	ID       string
	Owner    string // the user who uploaded it: only they see it
	File     string
	Operator string
	Date     string
	Started  time.Time
	Info     batchfile.Info

	mu       sync.Mutex
	rows     []batchRow
	done     int // rows answered (screened or refused)
	hits     int
	failed   int
	finished time.Time
	err      string // why the job stopped early ("" when it did not)
	alerts   []string
}

// batchStatus is a snapshot of a job for a page.
type batchStatus struct {
	ID, File, Operator, Date string
	Info                     batchfile.Info
	Started, Finished        time.Time
	Total, Done, Hits        int
	Failed                   int
	Err                      string
	Running                  bool
	Percent                  int
	HitRows                  []batchRow
	FailedRows               []batchRow
	Alerts                   []string
}

func (j *batchJob) status() batchStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := batchStatus{ID: j.ID, File: j.File, Operator: j.Operator, Date: j.Date, Info: j.Info, Started: j.Started, Finished: j.finished,
		Total: len(j.rows), Done: j.done, Hits: j.hits, Failed: j.failed, Err: j.err, Running: j.finished.IsZero(),
		Alerts: append([]string(nil), j.alerts...)}
	if st.Total > 0 {
		st.Percent = st.Done * 100 / st.Total
	}
	for _, r := range j.rows {
		if r.Hit() && len(st.HitRows) < 500 {
			st.HitRows = append(st.HitRows, r)
		}
		if r.Error != "" && len(st.FailedRows) < 500 {
			st.FailedRows = append(st.FailedRows, r)
		}
	}
	return st
}

// snapshot returns a copy of the rows.
func (j *batchJob) snapshot() []batchRow {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]batchRow(nil), j.rows...)
}

// batchJobs are the interface's jobs.
type batchJobs struct {
	mu    sync.Mutex
	byID  map[string]*batchJob
	order []string
	next  int
}

func (bj *batchJobs) add(j *batchJob) {
	bj.mu.Lock()
	defer bj.mu.Unlock()
	if bj.byID == nil {
		bj.byID = map[string]*batchJob{}
	}
	bj.next++
	j.ID = strconv.Itoa(bj.next)
	bj.byID[j.ID] = j
	bj.order = append(bj.order, j.ID)
	for len(bj.order) > maxJobs {
		delete(bj.byID, bj.order[0])
		bj.order = bj.order[1:]
	}
}

// get returns a job of the user's.
func (bj *batchJobs) get(id, owner string) (*batchJob, bool) {
	bj.mu.Lock()
	defer bj.mu.Unlock()
	j, ok := bj.byID[id]
	if !ok || j.Owner != owner {
		return nil, false
	}
	return j, true
}

// of returns the user's jobs, the newest first.
func (bj *batchJobs) of(owner string) []batchStatus {
	bj.mu.Lock()
	var jobs []*batchJob
	for i := len(bj.order) - 1; i >= 0; i-- {
		if j := bj.byID[bj.order[i]]; j.Owner == owner {
			jobs = append(jobs, j)
		}
	}
	bj.mu.Unlock()
	out := make([]batchStatus, len(jobs))
	for i, j := range jobs {
		out[i] = j.status()
		out[i].HitRows, out[i].FailedRows = nil, nil
	}
	return out
}

// readBatchFile reads an uploaded file into rows: each record a request,
// or the reason it can't be screened (kept, counted, shown).
func readBatchFile(name string, data []byte, operator, date string) ([]batchRow, batchfile.Info, error) {
	rd, err := batchfile.New(name, data, batchfile.Options{})
	if err != nil {
		return nil, batchfile.Info{}, err
	}
	var rows []batchRow
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, rd.Info(), err
		}
		q := row.Query
		req := server.ScreenRequest{ID: q.ID, Name: q.Name, Type: string(q.Schema), DOB: q.BirthDate, Country: q.Countries,
			Identifiers: q.Identifiers, Operator: operator, Date: date}
		if req.ID == "" {
			req.ID = "row " + strconv.Itoa(row.Seq)
		}
		br := batchRow{Seq: row.Seq, Line: row.Line, Req: req}
		if row.Err != nil {
			br.Error = row.Err.Message
		}
		rows = append(rows, br)
	}
	return rows, rd.Info(), nil
}

// run screens the job's rows through the API, a chunk at a time, as the
// user of the session cookie and CSRF token given.
func (u *UI) runBatch(ctx context.Context, j *batchJob, cookie *http.Cookie, csrf, remote string) {
	defer func() {
		j.mu.Lock()
		j.finished = time.Now()
		j.mu.Unlock()
	}()
	rows := j.snapshot()
	for start := 0; start < len(rows); start += batchChunk {
		end := min(start+batchChunk, len(rows))
		var body bytes.Buffer
		var index []int // body line -> row
		for i := start; i < end; i++ {
			if rows[i].Error != "" {
				j.mu.Lock()
				j.done++
				j.failed++
				j.mu.Unlock()
				continue
			}
			b, _ := json.Marshal(rows[i].Req)
			body.Write(b)
			body.WriteByte('\n')
			index = append(index, i)
		}
		if len(index) == 0 {
			continue
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "/v1/screen/batch", &body)
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set(server.CSRFHeader, csrf)
		req.AddCookie(cookie)
		req.RemoteAddr = remote
		req.ContentLength = int64(body.Len())
		lw := &lineWriter{header: http.Header{}, line: func(line []byte, n int) {
			if n >= len(index) {
				return
			}
			j.answer(index[n], line)
		}}
		u.cfg.API.ServeHTTP(lw, req)
		lw.flush()
		if lw.status >= 400 {
			a := &apiAnswer{status: lw.status, body: *bytes.NewBuffer(lw.first)}
			j.stop(fmt.Sprintf("rows %d to %d: %s", start+1, end, errMessage(a.err())))
			return
		}
		if lw.lines < len(index) {
			j.stop(fmt.Sprintf("rows %d to %d: the API answered %d of %d (the stream broke: see the server's log)", start+1, end, lw.lines, len(index)))
			return
		}
	}
}

// answer records the API's line for row i.
func (j *batchJob) answer(i int, line []byte) {
	var probe struct {
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	json.Unmarshal(line, &probe)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done++
	if probe.Error != nil {
		j.rows[i].Error = probe.Error.Message
		j.failed++
		return
	}
	var res lexscreen.Result
	if err := json.Unmarshal(line, &res); err != nil {
		j.rows[i].Error = "the API's answer can't be read: " + err.Error()
		j.failed++
		return
	}
	j.rows[i].Result = &res
	if len(res.Matches) > 0 {
		j.hits++
	}
}

// stop ends a job early with the reason; the rows not answered count as failed.
func (j *batchJob) stop(reason string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.err = reason
	for i := range j.rows {
		if j.rows[i].Result == nil && j.rows[i].Error == "" {
			j.rows[i].Error = "not screened: the job stopped (" + reason + ")"
			j.failed++
			j.done++
		}
	}
}

// lineWriter is a ResponseWriter that hands each line of an NDJSON answer
// to line as it arrives (n: 0-based line number).
type lineWriter struct {
	header http.Header
	status int
	buf    []byte
	first  []byte // the start of the answer, for an error
	lines  int
	line   func(line []byte, n int)
}

func (w *lineWriter) Header() http.Header { return w.header }
func (w *lineWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *lineWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if len(w.first) < 4096 {
		w.first = append(w.first, b[:min(len(b), 4096-len(w.first))]...)
	}
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.emit(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	return len(b), nil
}
func (w *lineWriter) Flush() {}

func (w *lineWriter) flush() {
	if len(bytes.TrimSpace(w.buf)) > 0 {
		w.emit(w.buf)
	}
	w.buf = nil
}

func (w *lineWriter) emit(line []byte) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || w.status >= 400 {
		return
	}
	w.line(line, w.lines)
	w.lines++
}
