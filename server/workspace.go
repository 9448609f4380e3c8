package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// roleReader is the least role of the workspace's read endpoints: an
// analyst, approver or auditor (and admin).
const roleReader = "reader"

// SubjectRequest is the body of POST /v1/subjects: a subject of the book.
type SubjectRequest struct {
	ID          string   `json:"id" doc:"the operator's customer reference, unique in the book" example:"C-0001"`
	Name        string   `json:"name" example:"Viktor Bout"`
	Type        string   `json:"type,omitempty" doc:"person, organization, vessel or aircraft" example:"person"`
	DOB         string   `json:"dob,omitempty" example:"1967-01-13"`
	Country     []string `json:"country,omitempty" example:"RU"`
	Identifiers []string `json:"identifiers,omitempty"`
	Operator    string   `json:"operator,omitempty" doc:"the operator profile the subject is screened for" example:"us-bank"`
	// NoScreen stores the subject without screening it now.
	NoScreen bool `json:"no_screen,omitempty" doc:"store without screening now"`
}

// SubjectResponse is the answer of POST /v1/subjects.
type SubjectResponse struct {
	workspace.PutResult
	Alerts     *workspace.FoundReport `json:"alerts,omitempty"`
	Unscreened []workspace.RowError   `json:"unscreened,omitempty"`
}

// ImportResponse is the answer of POST /v1/subjects/import.
type ImportResponse struct {
	workspace.ImportReport
	Alerts     *workspace.FoundReport `json:"alerts,omitempty"`
	Unscreened []workspace.RowError   `json:"unscreened"`
}

// DecisionCheck is the body of POST /v1/alerts/{id}/approve.
type DecisionCheck struct {
	Approve *bool  `json:"approve,omitempty" doc:"true (default) approves, false rejects the pending decision"`
	Note    string `json:"note,omitempty" doc:"the checker's note; required to reject"`
}

// CommentRequest is the body of POST /v1/alerts/{id}/comments.
type CommentRequest struct {
	Text string `json:"text"`
}

// AssignRequest is the body of POST /v1/alerts/{id}/assign.
type AssignRequest struct {
	Assignee string `json:"assignee" doc:"who works on the alert (\"\": nobody)" example:"user:ana"`
	Due      string `json:"due,omitempty" doc:"YYYY-MM-DD or RFC 3339: when it is due (default: unchanged)"`
}

// DeletedResponse is the answer of DELETE /v1/subjects/{id}.
type DeletedResponse struct {
	Deleted string `json:"deleted" doc:"the id of the subject removed"`
}

// WebhooksResponse is the answer of GET /v1/webhooks.
type WebhooksResponse struct {
	Webhooks    []workspace.Webhook  `json:"webhooks"`
	DeadLetters []workspace.Delivery `json:"dead_letters" doc:"the last 100 deliveries given up"`
}

// AlertsExport is the JSON form of GET /v1/alerts/export: alerts or
// decisions, as what= asks, and when they were exported.
type AlertsExport struct {
	Alerts    []workspace.Alert    `json:"alerts,omitempty"`
	Decisions []workspace.Decision `json:"decisions,omitempty"`
	Exported  time.Time            `json:"exported"`
}

// xlsxType is the content type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// WebhookRequest is the body of POST /v1/webhooks.
type WebhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events,omitempty" doc:"alert.opened, alert.decided, alert.approved, alert.rejected or * (default *)"`
}

func (s *Server) workspaceRoutes() []route {
	an, ap, ad, sc := audit.RoleAnalyst, audit.RoleApprover, audit.RoleAdmin, audit.RoleScreener
	idParam := []param{{Name: "id", In: "path", Required: true, Example: "1"}}
	alertFilter := []param{{Name: "status", In: "query", Description: "repeatable: open, pending, escalated, true_match, false_positive, superseded"},
		{Name: "subject", In: "query", Description: "only this subject id"}, {Name: "entity", In: "query", Description: "only this listed entity id"},
		{Name: "assignee", In: "query", Description: "only alerts assigned to this actor"},
		{Name: "operator", In: "query", Description: "only alerts of subjects screened for this operator profile"},
		{Name: "queue", In: "query", Description: "true: the work queue, oldest opened first (default statuses open and escalated)"},
		{Name: "offset", In: "query"}, {Name: "limit", In: "query", Description: "1 to 1000 (default 100)"}}
	return []route{
		{Method: "POST", Path: "/v1/subjects", Role: an, Summary: "Add or change a subject of the book, and screen it",
			Description: "Creates or replaces a subject; when it is new or a screening field or its operator changed, screens it (unless no_screen) and opens an alert per listed entity it matches at or above the threshold (unless an approved false positive suppresses the pair). The screening is recorded in the audit chain, and so is the change.",
			Request:     SubjectRequest{}, Response: SubjectResponse{}, Example: `{"id": "C-0005", "name": "Viktor Bout", "type": "person", "dob": "1967-01-13", "operator": "us-bank"}`,
			handler: s.withWorkspace(s.handlePutSubject)},
		{Method: "POST", Path: "/v1/subjects/import", Role: an, Batch: true, Summary: "Import a customer file (CSV or JSON lines) into the book and screen the new and changed subjects",
			Description: "The body is the file as is (the rules of lexscreen batch: headers in any language, sniffed delimiter, encodings). Rows that can't be imported are counted in failed with their line and reason; rows that could not be screened in unscreened. Either makes the import incomplete: check both.",
			Params: []param{{Name: "name", In: "query", Description: "the file's name (its extension picks the format)", Example: "book.csv"},
				{Name: "operator", In: "query", Description: "the operator profile the subjects are screened for"},
				{Name: "format", In: "query", Description: "csv or jsonl (default: from the name and content)"},
				{Name: "screen", In: "query", Description: "false: import without screening"}},
			RequestType: "text/csv", Response: ImportResponse{}, handler: s.withWorkspace(s.handleImportSubjects)},
		{Method: "GET", Path: "/v1/subjects", Role: roleReader, Summary: "The book, in id order, a page at a time",
			Params:   []param{{Name: "after", In: "query", Description: "the id after which the page starts (the last page's next)"}, {Name: "limit", In: "query"}},
			Response: workspace.SubjectPage{}, handler: s.withWorkspace(s.handleListSubjects)},
		{Method: "GET", Path: "/v1/subjects/{id}", Role: roleReader, Summary: "One subject", Params: idParam,
			Response: workspace.SubjectRecord{}, handler: s.withWorkspace(s.handleGetSubject)},
		{Method: "DELETE", Path: "/v1/subjects/{id}", Role: an, Summary: "Remove a subject from the book (its alerts stay)", Params: idParam, Response: DeletedResponse{},
			handler: s.withWorkspace(s.handleDeleteSubject)},
		{Method: "GET", Path: "/v1/alerts", Role: roleReader, Summary: "Alerts (queue=true: the oldest open first)", Params: alertFilter,
			Response: workspace.AlertPage{}, handler: s.withWorkspace(s.handleListAlerts)},
		{Method: "GET", Path: "/v1/alerts/export", Role: roleReader, Summary: "Alerts or decisions for an examiner: CSV, XLSX or JSON",
			Params: append([]param{{Name: "format", In: "query", Required: true, Description: "csv, xlsx or json", Example: "csv"},
				{Name: "what", In: "query", Description: "alerts (default: one row per alert with its last decision) or decisions (one row per decision)"}}, alertFilter[:5]...),
			ResponseType: "text/csv", AltTypes: map[string]any{"application/json": AlertsExport{}, xlsxType: nil},
			handler: s.withWorkspace(s.handleExportAlerts)},
		{Method: "GET", Path: "/v1/alerts/{id}", Role: roleReader, Summary: "One alert: the frozen result, decisions, comments, history", Params: idParam,
			Response: workspace.Alert{}, handler: s.withWorkspace(s.handleGetAlert)},
		{Method: "POST", Path: "/v1/alerts/{id}/decision", Role: an, Summary: "Decide an alert: true_match, false_positive or escalate, with a reason",
			Description: "The decision takes effect only once a second person, with the approver role, approves it (POST /v1/alerts/{id}/approve); until then the alert is pending.",
			Params:      idParam, Request: workspace.DecisionInput{}, Response: workspace.Decision{},
			Answers: []answer{{Status: http.StatusConflict, Description: "the alert is not open to a decision (decided, pending or superseded)"}},
			Example: `{"outcome": "false_positive", "reason": "customer born 1971 in Oslo; the listed person 1967 in Dushanbe"}`, handler: s.withWorkspace(s.handleDecide)},
		{Method: "POST", Path: "/v1/alerts/{id}/approve", Role: ap, Summary: "Approve (or reject) the pending decision of an alert: four eyes",
			Description: "Refused (409) when the caller made the decision. An approved false positive suppresses the same (subject data, listing) pair until either changes.",
			Params:      idParam, Request: DecisionCheck{}, Response: workspace.Decision{}, Example: `{"approve": true, "note": "checked the passport copy"}`,
			Answers: []answer{{Status: http.StatusConflict, Description: "four eyes: the caller made the decision, or there is no pending decision"}},
			handler: s.withWorkspace(s.handleApprove)},
		{Method: "POST", Path: "/v1/alerts/{id}/comments", Role: an, Summary: "Comment on an alert", Params: idParam,
			Request: CommentRequest{}, Response: workspace.Comment{}, Example: `{"text": "asked the branch for a passport copy"}`, handler: s.withWorkspace(s.handleComment)},
		{Method: "POST", Path: "/v1/alerts/{id}/assign", Role: an, Summary: "Assign an alert and set its due date", Params: idParam,
			Request: AssignRequest{}, Response: workspace.Alert{}, Example: `{"assignee": "user:ana", "due": "2026-02-01"}`, handler: s.withWorkspace(s.handleAssign)},
		{Method: "GET", Path: "/v1/attachments/{id}", Role: roleReader, Summary: "The content of a decision's attachment", Params: idParam,
			ResponseType: "application/octet-stream", handler: s.withWorkspace(s.handleAttachment)},
		{Method: "GET", Path: "/v1/events", Role: roleReader, Batch: true, Summary: "Server-sent events: alert.opened, alert.decided, alert.approved, alert.rejected",
			Description:  "A text/event-stream of the workspace's events from now on; the stream ends after the batch time limit, reconnect then. A client too slow to read loses events and gets a gap event.",
			ResponseType: "text/event-stream", handler: s.withWorkspace(s.handleEvents)},
		{Method: "POST", Path: "/v1/webhooks", Role: ad, Summary: "Register a webhook (HMAC-SHA256 signed; its secret is shown once)",
			Request: WebhookRequest{}, Response: workspace.Webhook{}, Example: `{"url": "https://hooks.example.com/lexscreen", "events": ["alert.opened"]}`,
			handler: s.withWorkspace(s.handleAddWebhook)},
		{Method: "GET", Path: "/v1/webhooks", Role: ad, Summary: "The webhooks and the dead-letter list (deliveries given up)", Response: WebhooksResponse{},
			handler: s.withWorkspace(s.handleListWebhooks)},
		{Method: "POST", Path: "/v1/screen/alert", Role: sc, Summary: "Screen one name and open alerts for its matches (ad-hoc)",
			Description: "POST /v1/screen, and every match at or above the threshold opens an alert on the ad-hoc subject adhoc:<fingerprint> (same rules of suppression). Also POST /v1/screen?alert=1.",
			Request:     ScreenRequest{}, Response: lexscreen.Result{}, Example: screenExample, handler: s.withWorkspace(s.handleScreenAlert)},
	}
}

// withWorkspace answers 503 when the server has no workspace.
func (s *Server) withWorkspace(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Workspace == nil {
			writeError(w, r, http.StatusServiceUnavailable, lexscreen.EUNAVAILABLE, "this server has no workspace (lexscreen serve opens <data-dir>/workspace.db)")
			return
		}
		h(w, r)
	}
}

// actorOf is who makes a request: the signed-in user (user:NAME) or the
// API key (key:ID), with the role.
func actorOf(r *http.Request) workspace.Actor {
	k := keyOf(r)
	if sess, ok := sessionOf(r); ok {
		return workspace.Actor{ID: "user:" + sess.user, Role: sess.role}
	}
	return workspace.Actor{ID: "key:" + k.ID, Role: k.Role}
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "id %q: want a positive number", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) handlePutSubject(w http.ResponseWriter, r *http.Request) {
	var req SubjectRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeErr(w, r, err)
		return
	}
	q := lexscreen.Query{Name: req.Name, BirthDate: req.DOB, Countries: req.Country, Identifiers: req.Identifiers}
	if req.Type != "" {
		if q.Schema = lexscreen.ParseSchema(req.Type); q.Schema == lexscreen.SchemaUnknown {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "type %q: want person, organization, vessel or aircraft", req.Type))
			return
		}
	}
	res, err := s.cfg.Workspace.Put(r.Context(), actorOf(r), lexscreen.Subject{ID: req.ID, Query: q, Operator: req.Operator})
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := SubjectResponse{PutResult: res}
	if res.Change != "unchanged" && !req.NoScreen {
		rep, unscreened, err := s.screenSubjects(r.Context(), r, []lexscreen.Subject{res.Subject.Subject})
		if err != nil {
			writeErr(w, r, err)
			return
		}
		out.Alerts, out.Unscreened = &rep, unscreened
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleImportSubjects(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "upload"
	}
	q := r.URL.Query()
	rep, err := s.cfg.Workspace.Import(r.Context(), actorOf(r), name, data, workspace.ImportOptions{Operator: q.Get("operator"), Format: q.Get("format")})
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := ImportResponse{ImportReport: rep, Unscreened: []workspace.RowError{}}
	if q.Get("screen") != "false" && len(rep.Changed) > 0 {
		found, unscreened, err := s.screenSubjects(r.Context(), r, rep.Changed)
		if err != nil {
			writeErr(w, r, err)
			return
		}
		out.Alerts, out.Unscreened = &found, unscreened
	}
	writeJSON(w, http.StatusOK, out)
}

// screenSubjects screens subjects on the current lists, records the
// screenings in the audit chain and opens alerts for their matches. A
// subject that can't be screened (an unknown operator profile) is
// returned in unscreened, never dropped silently.
func (s *Server) screenSubjects(ctx context.Context, r *http.Request, subs []lexscreen.Subject) (workspace.FoundReport, []workspace.RowError, error) {
	unscreened := []workspace.RowError{}
	ix, err := s.current()
	if err != nil {
		return workspace.FoundReport{}, nil, err
	}
	var preps []Prepared
	var bySeq []lexscreen.Subject
	for _, sub := range subs {
		p, err := s.prepare(ScreenRequest{ID: sub.ID, Name: sub.Query.Name, Type: string(sub.Query.Schema), DOB: sub.Query.BirthDate,
			Country: sub.Query.Countries, Identifiers: sub.Query.Identifiers, Operator: sub.Operator})
		if err != nil {
			unscreened = append(unscreened, workspace.RowError{ID: sub.ID, Message: err.Error()})
			continue
		}
		p.Query = sub.Query
		p.Query.ID = sub.ID
		preps = append(preps, p)
		bySeq = append(bySeq, sub)
	}
	out, err := s.screen(ctx, r, "subject", ix, preps, true)
	if err != nil {
		return workspace.FoundReport{}, nil, err
	}
	var results []workspace.SubjectResult
	for i, o := range out {
		if o.err != nil {
			unscreened = append(unscreened, workspace.RowError{ID: bySeq[i].ID, Message: o.err.Error()})
			continue
		}
		if len(o.result.Matches) == 0 {
			continue
		}
		fps, err := workspace.Fingerprints(ctx, s.cfg.Store, o.result)
		if err != nil {
			return workspace.FoundReport{}, nil, err
		}
		results = append(results, workspace.SubjectResult{Subject: bySeq[i], Result: o.result, EntityFingerprints: fps})
	}
	rep, err := s.cfg.Workspace.FoundAs(ctx, actorOf(r), "api:"+time.Now().UTC().Format(time.RFC3339Nano), results)
	if err == nil {
		// Their alerts are open: they no longer wait for the monitor.
		var screened []lexscreen.Subject
		for i, o := range out {
			if o.err == nil {
				screened = append(screened, bySeq[i])
			}
		}
		err = s.cfg.Workspace.MarkScreened(ctx, screened)
	}
	return rep, unscreened, err
}

// handleScreenAlert is POST /v1/screen/alert (and /v1/screen?alert=1).
// The screening's audit record is appended by the workspace: alone when
// its matches open nothing, else with the alerts it opens, so that an
// answer saying an alert was opened means both are durable
// (workspace.FoundScreening).
func (s *Server) handleScreenAlert(w http.ResponseWriter, r *http.Request) {
	var req ScreenRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeErr(w, r, err)
		return
	}
	p, err := s.prepare(req)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	ix, err := s.indexAt(r.Context(), p.AsOf)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	outs, recs, err := s.screenUnrecorded(r.Context(), r, "screen", ix, []Prepared{p}, false)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := outs[0]
	res := out.result
	if len(res.Matches) == 0 {
		if err := s.cfg.Audit.Append(r.Context(), recs...); err != nil {
			writeErr(w, r, err)
			return
		}
		s.countScreenings("screen", outs, len(recs))
		writeRaw(w, http.StatusOK, out.json)
		return
	}
	fps, err := workspace.Fingerprints(r.Context(), s.cfg.Store, res)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	fp := lexscreen.SubjectFingerprint(res.Query)
	sub := lexscreen.Subject{ID: workspace.AdHocPrefix + fp, Query: res.Query, Operator: res.Operator, Fingerprint: fp}
	sub.Query.ID = ""
	rep, err := s.cfg.Workspace.FoundScreening(r.Context(), actorOf(r), "screen:"+time.Now().UTC().Format(time.RFC3339Nano),
		[]workspace.SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}}, recs)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	s.countScreenings("screen", outs, len(recs))
	w.Header().Set("X-Alerts-Opened", joinIDs(rep.Opened))
	writeRaw(w, http.StatusOK, out.json)
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func (s *Server) handleListSubjects(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "limit", 0)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	p, err := s.cfg.Workspace.Subjects(r.Context(), r.URL.Query().Get("after"), limit)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleGetSubject(w http.ResponseWriter, r *http.Request) {
	sub, err := s.cfg.Workspace.Subject(r.Context(), r.PathValue("id"))
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sub)
}

func (s *Server) handleDeleteSubject(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Workspace.DeleteSubject(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DeletedResponse{Deleted: r.PathValue("id")})
}

// alertFilterOf reads an AlertFilter from a request's query.
func alertFilterOf(r *http.Request) (workspace.AlertFilter, error) {
	q := r.URL.Query()
	f := workspace.AlertFilter{Status: q["status"], SubjectID: q.Get("subject"), EntityID: q.Get("entity"), Assignee: q.Get("assignee"),
		Operator: q.Get("operator"), Queue: q.Get("queue") == "true" || q.Get("queue") == "1"}
	var err error
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		return f, err
	}
	f.Limit, err = queryInt(r, "limit", 0)
	return f, err
}

func (s *Server) handleListAlerts(w http.ResponseWriter, r *http.Request) {
	f, err := alertFilterOf(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	p, err := s.cfg.Workspace.Alerts(r.Context(), f)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleGetAlert(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	a, err := s.cfg.Workspace.Alert(r.Context(), id)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) handleExportAlerts(w http.ResponseWriter, r *http.Request) {
	f, err := alertFilterOf(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	format, what := r.URL.Query().Get("format"), r.URL.Query().Get("what")
	if what == "" {
		what = "alerts"
	}
	ctype := map[string]string{workspace.FormatCSV: "text/csv; charset=utf-8", workspace.FormatJSON: "application/json",
		workspace.FormatXLSX: xlsxType}[format]
	if ctype == "" {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "format %q: want csv, xlsx or json", format))
		return
	}
	// Written to a buffer first: an error is answered as an error, not a
	// truncated file.
	var buf strings.Builder
	if _, err := s.cfg.Workspace.Export(r.Context(), &buf, what, format, f); err != nil {
		writeErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="lexscreen-%s-%s.%s"`, what, time.Now().UTC().Format("20060102T150405Z"), format))
	io.WriteString(w, buf.String())
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	var in workspace.DecisionInput
	if err := decodeJSON(r.Body, &in); err != nil {
		writeErr(w, r, err)
		return
	}
	d, err := s.cfg.Workspace.Decide(r.Context(), actorOf(r), id, in)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	var in DecisionCheck
	if r.ContentLength != 0 {
		if err := decodeJSON(r.Body, &in); err != nil {
			writeErr(w, r, err)
			return
		}
	}
	approve := in.Approve == nil || *in.Approve
	d, err := s.cfg.Workspace.Check(r.Context(), actorOf(r), id, approve, in.Note)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	var in CommentRequest
	if err := decodeJSON(r.Body, &in); err != nil {
		writeErr(w, r, err)
		return
	}
	c, err := s.cfg.Workspace.AddComment(r.Context(), actorOf(r), id, in.Text)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// ParseDue reads a due date: YYYY-MM-DD (the end of that day, UTC) or
// RFC 3339.
func ParseDue(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, lexscreen.Errorf(lexscreen.EINVALID, "due %q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t, nil
}

func (s *Server) handleAssign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	var in AssignRequest
	if err := decodeJSON(r.Body, &in); err != nil {
		writeErr(w, r, err)
		return
	}
	due, err := ParseDue(in.Due)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	a, err := s.cfg.Workspace.Assign(r.Context(), actorOf(r), id, in.Assignee, due)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	a, err := s.cfg.Workspace.AttachmentContent(r.Context(), id)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	// Served as a download, never rendered: its type is the uploader's word.
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", a.Name))
	w.Header().Set("X-Attachment-Type", a.Type)
	w.Header().Set("X-Attachment-SHA256", a.SHA256)
	w.Write(a.Content)
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	events, done := s.cfg.Workspace.Subscribe()
	defer done()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	flush := func() {
		bw.Flush()
		http.NewResponseController(w).Flush()
	}
	io.WriteString(bw, ": lexscreen workspace events\n\n")
	flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			io.WriteString(bw, ": ping\n\n")
			flush()
		case e, ok := <-events:
			if !ok {
				return
			}
			b, _ := json.Marshal(e)
			fmt.Fprintf(bw, "event: %s\ndata: %s\n\n", e.Type, b)
			flush()
		}
	}
}

func (s *Server) handleAddWebhook(w http.ResponseWriter, r *http.Request) {
	var in WebhookRequest
	if err := decodeJSON(r.Body, &in); err != nil {
		writeErr(w, r, err)
		return
	}
	wh, err := s.cfg.Workspace.AddWebhook(r.Context(), actorOf(r), in.URL, in.Events)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wh)
}

func (s *Server) handleListWebhooks(w http.ResponseWriter, r *http.Request) {
	ws, err := s.cfg.Workspace.Webhooks(r.Context())
	if err != nil {
		writeErr(w, r, err)
		return
	}
	dead, err := s.cfg.Workspace.Deliveries(r.Context(), "dead", 100)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WebhooksResponse{Webhooks: ws, DeadLetters: dead})
}
