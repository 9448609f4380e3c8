package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen/server"
)

// maxUpload is the largest customer file the batch page takes.
const maxUpload = 32 << 20

// batchData is the batch pages' data.
type batchData struct {
	Jobs      []batchStatus
	Job       batchStatus
	Operators []string
}

func (u *UI) batchRoutes() []route {
	return []route{
		{"GET " + Prefix + "batch", u.withUser(u.handleBatchForm)},
		{"POST " + Prefix + "batch", u.withUser(u.handleBatchUpload)},
		{"GET " + Prefix + "batch/{id}", u.withUser(u.handleBatchJob)},
		{"GET " + Prefix + "batch/{id}/results", u.withUser(u.handleBatchResults)},
		{"POST " + Prefix + "batch/{id}/alerts", u.withUser(u.handleBatchAlerts)},
	}
}

func (u *UI) handleBatchForm(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	u.render(w, r, "batch.html", page{Title: "Batch screening", Session: s, Current: Prefix + "batch",
		Data: batchData{Jobs: u.jobs.of(s.User), Operators: builtinOperators}})
}

// handleBatchUpload reads the uploaded file and starts its job.
func (u *UI) handleBatchUpload(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	fail := func(status int, msg string) {
		u.renderStatus(w, r, status, "batch.html", page{Title: "Batch screening", Session: s, Current: Prefix + "batch", Error: msg,
			Data: batchData{Jobs: u.jobs.of(s.User), Operators: builtinOperators}})
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is over %d MiB: split it, or use lexscreen batch on the command line", maxUpload>>20))
			return
		}
		fail(http.StatusBadRequest, "the upload could not be read: "+err.Error())
		return
	}
	// The CSRF token is checked by the API on every request the job makes;
	// check it now too, so a forged upload starts nothing.
	if r.PostFormValue("csrf_token") != s.CSRFToken {
		fail(http.StatusForbidden, "the form's security token is missing or stale: reload the page and upload again")
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail(http.StatusBadRequest, "choose a file to screen (CSV or JSON lines)")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil || len(data) > maxUpload {
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is over %d MiB or could not be read", maxUpload>>20))
		return
	}
	operator, date := strings.TrimSpace(r.PostFormValue("operator")), strings.TrimSpace(r.PostFormValue("date"))
	name := filepath.Base(hdr.Filename)
	rows, info, err := readBatchFile(name, data, operator, date)
	if err != nil {
		fail(http.StatusBadRequest, name+": "+errMessage(err))
		return
	}
	if len(rows) == 0 {
		fail(http.StatusBadRequest, name+": no record to screen")
		return
	}
	cookie, _ := r.Cookie(server.SessionCookie)
	j := &batchJob{Owner: s.User, File: name, Operator: operator, Date: date, Started: u.cfg.Now(), Info: info, rows: rows}
	u.jobs.add(j)
	// The job outlives the upload's request: its own context, bounded.
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	go func() {
		defer cancel()
		u.runBatch(ctx, j, cookie, s.CSRFToken, r.RemoteAddr)
	}()
	http.Redirect(w, r, Prefix+"batch/"+j.ID, http.StatusSeeOther)
}

func (u *UI) job(w http.ResponseWriter, r *http.Request, s server.SessionResponse) (*batchJob, bool) {
	j, ok := u.jobs.get(r.PathValue("id"), s.User)
	if !ok {
		u.renderStatus(w, r, http.StatusNotFound, "error.html", page{Title: "No such batch", Session: s,
			Error: "There is no batch " + r.PathValue("id") + " of yours: batches are kept in memory, the last " + fmt.Sprint(maxJobs) + ", until the server restarts."})
	}
	return j, ok
}

func (u *UI) handleBatchJob(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	j, ok := u.job(w, r, s)
	if !ok {
		return
	}
	st := j.status()
	p := page{Title: "Batch " + j.ID + ": " + j.File, Session: s, Current: Prefix + "batch",
		Flash: flashes[r.URL.Query().Get("done")], Data: batchData{Job: st}}
	if st.Running {
		p.Refresh = 2
	}
	u.render(w, r, "batchjob.html", p)
}

// handleBatchAlerts opens alerts for the job's hits: each hit row is
// screened again through POST /v1/screen/alert (the same rules of
// suppression as any ad-hoc screening).
func (u *UI) handleBatchAlerts(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	j, ok := u.job(w, r, s)
	if !ok {
		return
	}
	st := j.status()
	if st.Running {
		http.Redirect(w, r, Prefix+"batch/"+j.ID, http.StatusSeeOther)
		return
	}
	var opened []string
	var errs []string
	for _, row := range j.snapshot() {
		if !row.Hit() {
			continue
		}
		a := u.apiRaw(r, http.MethodPost, "/v1/screen/alert", "application/json", jsonBody(row.Req))
		if err := a.err(); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %s", row.Req.ID, errMessage(err)))
			if signedOut(err) || len(errs) > 20 {
				break
			}
			continue
		}
		opened = append(opened, splitList(a.header.Get("X-Alerts-Opened"))...)
	}
	j.mu.Lock()
	j.alerts = append(j.alerts, opened...)
	j.mu.Unlock()
	if len(errs) > 0 {
		st = j.status()
		u.renderStatus(w, r, http.StatusBadGateway, "batchjob.html", page{Title: "Batch " + j.ID, Session: s, Current: Prefix + "batch",
			Error: fmt.Sprintf("%d alert(s) opened, but %d hit(s) could not be: %s", len(opened), len(errs), strings.Join(errs, "; ")), Data: batchData{Job: st}})
		return
	}
	http.Redirect(w, r, Prefix+"batch/"+j.ID+"?done=alerts", http.StatusSeeOther)
}

func init() {
	addNav("Batch", Prefix+"batch")
	flashes["alerts"] = "Alerts opened for the hits (a pair with an open alert or an approved false positive opens none)."
}

// handleBatchResults downloads the results: format csv (one row per
// match, or per row without one), xlsx (the same), or jsonl (one line per
// row: the request and the full result or the error).
func (u *UI) handleBatchResults(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	j, ok := u.job(w, r, s)
	if !ok {
		return
	}
	rows := j.snapshot()
	base := strings.TrimSuffix(j.File, filepath.Ext(j.File)) + "-screened"
	switch format := r.URL.Query().Get("format"); format {
	case "jsonl":
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Header().Set("Content-Disposition", `attachment; filename="`+base+`.jsonl"`)
		enc := json.NewEncoder(w)
		for _, row := range rows {
			enc.Encode(row)
		}
	case "csv", "":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+base+`.csv"`)
		cw := csv.NewWriter(w)
		cw.Write(resultHeader)
		for _, rec := range resultRecords(rows) {
			cw.Write(rec)
		}
		cw.Flush()
	case "xlsx":
		x := excelize.NewFile()
		defer x.Close()
		sheet := x.GetSheetName(0)
		put := func(n int, rec []string) {
			cell, _ := excelize.CoordinatesToCellName(1, n)
			vals := make([]any, len(rec))
			for i, v := range rec {
				vals[i] = v
			}
			x.SetSheetRow(sheet, cell, &vals)
		}
		put(1, resultHeader)
		for i, rec := range resultRecords(rows) {
			put(i+2, rec)
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+base+`.xlsx"`)
		x.Write(w)
	default:
		u.renderStatus(w, r, http.StatusBadRequest, "error.html", page{Title: "Unknown format", Session: s, Error: "format " + format + ": want csv, xlsx or jsonl"})
	}
}

// resultHeader heads the CSV and XLSX results.
var resultHeader = []string{"row", "line", "id", "name", "status", "score", "entity_id", "entity_name", "lists", "obligations", "conflicts", "error"}

// resultRecords are the CSV and XLSX rows: one per match, one per row
// without a match, one per row refused (status error: never dropped).
func resultRecords(rows []batchRow) [][]string {
	var out [][]string
	for _, row := range rows {
		base := []string{fmt.Sprint(row.Seq), fmt.Sprint(row.Line), row.Req.ID, row.Req.Name}
		switch {
		case row.Error != "":
			out = append(out, append(base, "error", "", "", "", "", "", "", row.Error))
		case row.Result == nil:
			out = append(out, append(base, "not screened", "", "", "", "", "", "", ""))
		case len(row.Result.Matches) == 0:
			out = append(out, append(base, "no match", "", "", "", "", "", "", ""))
		default:
			for _, m := range row.Result.Matches {
				var lists, obls []string
				for _, d := range m.Designations {
					lists = append(lists, strings.TrimSpace(d.Authority+" "+d.List+" "+d.Program))
				}
				for _, o := range m.Obligations {
					obls = append(obls, fmt.Sprintf("%s (%s; %s) [%s]", o.Kind, o.Authority, o.Basis, o.Confidence))
				}
				conflicts := 0
				for _, c := range row.Result.Conflicts {
					if c.EntityID == m.Entity.ID {
						conflicts++
					}
				}
				out = append(out, append(base, "match", fmt.Sprintf("%.3f", m.Score), m.Entity.ID, m.Entity.Name,
					strings.Join(lists, "; "), strings.Join(obls, "; "), fmt.Sprint(conflicts), ""))
			}
		}
	}
	return out
}
