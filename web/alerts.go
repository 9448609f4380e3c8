package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/workspace"
)

// The alert queue and the alert page: filters, assignment, decisions with
// four eyes, comments, history, the frozen result and what changed since
// an earlier alert on the same pair. Every action goes through the API
// (POST /v1/alerts/{id}/...), which enforces the roles and four eyes.

// alertStatuses are the statuses an alert may have, in the filter's order.
var alertStatuses = []string{workspace.StatusOpen, workspace.StatusEscalated, workspace.StatusPending,
	workspace.StatusTrueMatch, workspace.StatusFalsePositive, workspace.StatusSuperseded}

// queueData is the alert queue page's data.
type queueData struct {
	Statuses []statusToggle
	Assignee string
	Operator string
	Page     workspace.AlertPage
	Offset   int
	Me       string // user:NAME, for "assigned to me"
	// Query is the filter as a query string (without offset), for paging.
	Query string
}

// statusToggle is a status as a filter checkbox.
type statusToggle struct {
	Status string
	On     bool
}

// alertData is the alert page's data.
type alertData struct {
	Alert    workspace.Alert
	Me       string
	Pending  *workspace.Decision // the decision waiting for a second person
	MinePend bool                // the user made the pending decision
	CanCheck bool                // the user's role may approve
	Decided  bool                // closed: nothing to decide
}

func (u *UI) alertRoutes() []route {
	return []route{
		{"GET " + Prefix + "alerts", u.withUser(u.handleQueue)},
		{"GET " + Prefix + "alerts/{id}", u.withUser(u.handleAlert)},
		{"POST " + Prefix + "alerts/{id}/decision", u.withUser(u.handleDecide)},
		{"POST " + Prefix + "alerts/{id}/approve", u.withUser(u.handleApprove)},
		{"POST " + Prefix + "alerts/{id}/comments", u.withUser(u.handleComment)},
		{"POST " + Prefix + "alerts/{id}/assign", u.withUser(u.handleAssign)},
	}
}

func (u *UI) handleQueue(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	q := r.URL.Query()
	d := queueData{Assignee: strings.TrimSpace(q.Get("assignee")), Operator: strings.TrimSpace(q.Get("operator")), Me: "user:" + s.User}
	on := map[string]bool{}
	for _, st := range q["status"] {
		on[st] = true
	}
	if len(on) == 0 && q.Get("filtered") == "" { // the work queue by default
		on[workspace.StatusOpen], on[workspace.StatusEscalated] = true, true
	}
	api := url.Values{"queue": {"true"}, "limit": {"50"}}
	keep := url.Values{"filtered": {"1"}}
	for _, st := range alertStatuses {
		d.Statuses = append(d.Statuses, statusToggle{st, on[st]})
		if on[st] {
			api.Add("status", st)
			keep.Add("status", st)
		}
	}
	if len(on) == 0 { // all statuses asked for: the queue order anyway
		for _, st := range alertStatuses {
			api.Add("status", st)
		}
	}
	for k, v := range map[string]string{"assignee": d.Assignee, "operator": d.Operator, "subject": q.Get("subject"), "entity": q.Get("entity")} {
		if v != "" {
			api.Set(k, v)
			keep.Set(k, v)
		}
	}
	d.Offset, _ = strconv.Atoi(q.Get("offset"))
	if d.Offset > 0 {
		api.Set("offset", strconv.Itoa(d.Offset))
	}
	d.Query = keep.Encode()
	p := page{Title: "Alerts", Session: s, Current: Prefix + "alerts", Data: &d}
	if err := u.api(r, http.MethodGet, "/v1/alerts?"+api.Encode(), nil, &d.Page); err != nil {
		if signedOut(err) {
			u.toLogin(w, r)
			return
		}
		p.Error = errMessage(err)
	}
	p.Flash = flashOf(r)
	u.render(w, r, "alerts.html", p)
}

// flashes are the messages a redirect after an action asks for (?done=).
var flashes = map[string]string{
	"decided":   "Decision recorded. It takes effect once another person with the approver role approves it.",
	"approved":  "Decision approved: it is in effect.",
	"rejected":  "Decision rejected: the alert is open again for a new decision.",
	"commented": "Comment added.",
	"assigned":  "Assignment saved.",
}

func flashOf(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }

func (u *UI) alertPage(r *http.Request, s server.SessionResponse, id string) (page, error) {
	p := page{Title: "Alert " + id, Session: s, Current: Prefix + "alerts"}
	d := &alertData{Me: "user:" + s.User, CanCheck: s.Role == "approver" || s.Role == "admin"}
	if err := u.api(r, http.MethodGet, "/v1/alerts/"+url.PathEscape(id), nil, &d.Alert); err != nil {
		return p, err
	}
	for i := range d.Alert.Decisions {
		if dec := &d.Alert.Decisions[i]; dec.State == "pending" {
			d.Pending = dec
			d.MinePend = dec.Maker == d.Me
		}
	}
	d.Decided = d.Alert.Closed() || d.Alert.Status == workspace.StatusPending
	p.Data = d
	return p, nil
}

func (u *UI) handleAlert(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	p, err := u.alertPage(r, s, r.PathValue("id"))
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	p.Flash = flashOf(r)
	u.render(w, r, "alert.html", p)
}

// act does an action on an alert through the API and goes back to the
// alert page: with a flash on success, with the API's message (and its
// status) on failure, the form as the user filled it.
func (u *UI) act(w http.ResponseWriter, r *http.Request, s server.SessionResponse, apiPath string, body any, done string) {
	id := r.PathValue("id")
	err := u.api(r, http.MethodPost, "/v1/alerts/"+url.PathEscape(id)+"/"+apiPath, body, nil)
	if err == nil {
		http.Redirect(w, r, Prefix+"alerts/"+url.PathEscape(id)+"?done="+done, http.StatusSeeOther)
		return
	}
	if signedOut(err) {
		u.toLogin(w, r)
		return
	}
	p, perr := u.alertPage(r, s, id)
	if perr != nil {
		u.fail(w, r, s, perr)
		return
	}
	p.Error = errMessage(err)
	status := http.StatusBadRequest
	if ae, ok := err.(*APIError); ok {
		status = ae.Status
	}
	u.renderStatus(w, r, status, "alert.html", p)
}

func (u *UI) handleDecide(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	r.ParseForm()
	in := workspace.DecisionInput{Outcome: r.PostForm.Get("outcome"), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	u.act(w, r, s, "decision", in, "decided")
}

func (u *UI) handleApprove(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	r.ParseForm()
	approve := r.PostForm.Get("approve") != "0"
	done := "approved"
	if !approve {
		done = "rejected"
	}
	u.act(w, r, s, "approve", server.DecisionCheck{Approve: &approve, Note: strings.TrimSpace(r.PostForm.Get("note"))}, done)
}

func (u *UI) handleComment(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	r.ParseForm()
	u.act(w, r, s, "comments", server.CommentRequest{Text: strings.TrimSpace(r.PostForm.Get("text"))}, "commented")
}

func (u *UI) handleAssign(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	r.ParseForm()
	assignee := strings.TrimSpace(r.PostForm.Get("assignee"))
	if assignee != "" && !strings.Contains(assignee, ":") {
		assignee = "user:" + assignee // a bare name is a user
	}
	u.act(w, r, s, "assign", server.AssignRequest{Assignee: assignee, Due: strings.TrimSpace(r.PostForm.Get("due"))}, "assigned")
}

// alertLabel is how an alert is named in a list: its subject and entity.
func alertLabel(a *workspace.Alert) string {
	name := a.Subject.Query.Name
	if name == "" {
		name = a.SubjectID
	}
	return fmt.Sprintf("%s ↔ %s", name, a.EntityName)
}
