package workspace

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/monitor"
)

// The store is the monitor's book and sink.
var (
	_ monitor.Book = (*Store)(nil)
	_ monitor.Sink = (*Store)(nil)
)

// listings is a ListingReader over fixed entities (any snapshot).
type listings map[string]*lexscreen.Entity

func (l listings) Entity(_ context.Context, id string, _ int64) (*lexscreen.Entity, error) {
	if e, ok := l[id]; ok {
		return e, nil
	}
	return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no entity %s", id)
}

type fixture struct {
	s        *Store
	audit    *audit.DB
	listings listings
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	adb, err := audit.Open(context.Background(), filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{audit: adb, listings: listings{}}
	f.s, err = Open(context.Background(), filepath.Join(dir, "workspace.db"), Options{Audit: adb, Listings: f.listings})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.s.Close(); adb.Close() })
	return f
}

var (
	analyst   = Actor{ID: "user:ana", Role: "analyst"}
	approver  = Actor{ID: "user:bob", Role: "approver"}
	approver2 = Actor{ID: "key:c0ffee", Role: "approver"}
	screener  = Actor{ID: "key:5c5c", Role: "screener"}
)

// bout is OFAC SDN 9146-like listing data: Viktor Bout, born 1967-01-13.
func boutEntity() *lexscreen.Entity {
	return &lexscreen.Entity{ID: "us-ofac-sdn:9146", Source: "us-ofac-sdn", Schema: lexscreen.SchemaPerson,
		Names:        []lexscreen.Name{{Full: "Viktor Anatolijevitch BOUT", Kind: lexscreen.NamePrimary}, {Full: "Victor BOUTOV", Kind: lexscreen.NameAlias}},
		BirthDates:   []lexscreen.DateValue{{From: lexscreen.PartialDate{Year: 1967, Month: 1, Day: 13}}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "LIBERIA"}}}
}

func resultFor(q lexscreen.Query, es ...*lexscreen.Entity) (lexscreen.Result, map[string]string) {
	res := lexscreen.Result{Query: q, Operator: "us-bank", Date: "2026-01-15", Engine: lexscreen.Engine{Version: "test", Threshold: 0.8},
		Lists: []lexscreen.ListVersion{{Source: "us-ofac-sdn", Version: "2026-01-14", Published: "2026-01-14", Snapshot: 7}}}
	fps := map[string]string{}
	for _, e := range es {
		var names []string
		for _, n := range e.Names {
			names = append(names, n.Full)
		}
		res.Matches = append(res.Matches, lexscreen.Match{Entity: lexscreen.EntityRef{ID: e.ID, Source: e.Source, Schema: e.Schema, Name: e.Caption(), Names: names},
			Score: 0.93, Designations: e.Designations,
			Obligations: []lexscreen.Obligation{{Kind: "BLOCK", Authority: "US-OFAC", Basis: "31 CFR 501.603", Source: "ofac.treasury.gov", Confidence: "V"}}})
		fps[e.ID] = lexscreen.EntityFingerprint(e)
	}
	return res, fps
}

func subject(id, name, dob string) lexscreen.Subject {
	q := lexscreen.Query{Name: name, BirthDate: dob, Schema: lexscreen.SchemaPerson, Countries: []string{"RU"}}
	return lexscreen.Subject{ID: id, Query: q, Fingerprint: lexscreen.SubjectFingerprint(q)}
}

func (f *fixture) found(t *testing.T, run string, sub lexscreen.Subject, es ...*lexscreen.Entity) FoundReport {
	t.Helper()
	for _, e := range es {
		f.listings[e.ID] = e
	}
	res, fps := resultFor(sub.Query, es...)
	rep, err := f.s.FoundAs(context.Background(), System("test"), run, []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func code(err error) string { return lexscreen.ErrorCode(err) }

// The whole four-eyes cycle, suppression and the re-alerts on a changed
// listing and on a changed subject.
func TestFourEyesSuppressionRealert(t *testing.T) { onEachBackend(t, testFourEyesSuppressionRealert) }

func testFourEyesSuppressionRealert(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	sub := subject("C-0005", "Viktor Bout", "1967-01-13")
	rep := f.found(t, "run-1", sub, boutEntity())
	if len(rep.Opened) != 1 {
		t.Fatalf("opened %v, want one alert", rep.Opened)
	}
	id := rep.Opened[0]
	if rep := f.found(t, "run-1", sub, boutEntity()); len(rep.Opened) != 0 || rep.Unchanged != 1 {
		t.Fatalf("same run again: %+v, want no new alert", rep)
	}
	if _, err := f.s.Decide(ctx, screener, id, DecisionInput{Outcome: OutcomeFalsePositive, Reason: "different person"}); code(err) != lexscreen.EINVALID {
		t.Fatalf("a screener decided: %v", err)
	}
	if _, err := f.s.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeFalsePositive, Reason: "  "}); code(err) != lexscreen.EINVALID {
		t.Fatalf("decided without a reason: %v", err)
	}
	d, err := f.s.Decide(ctx, approver, id, DecisionInput{Outcome: OutcomeFalsePositive, Reason: "customer born 1967-01-13 in Kyiv, passport differs",
		Attachments: []Attachment{{Name: "passport.pdf", Type: "application/pdf", Content: []byte("%PDF-1.4 ...")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Check(ctx, approver, id, true, ""); code(err) != lexscreen.ECONFLICT {
		t.Fatalf("the maker approved their own decision: %v", err)
	}
	if _, err := f.s.Check(ctx, analyst, id, true, ""); code(err) != lexscreen.EINVALID {
		t.Fatalf("an analyst approved: %v", err)
	}
	if _, err := f.s.Check(ctx, approver2, id, true, "checked the passport copy"); err != nil {
		t.Fatal(err)
	}
	a, err := f.s.Alert(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusFalsePositive || len(a.Decisions) != 1 || a.Decisions[0].Checker != approver2.ID || len(a.Decisions[0].Attachments) != 1 {
		t.Fatalf("after approval: status %s, decisions %+v", a.Status, a.Decisions)
	}
	att, err := f.s.AttachmentContent(ctx, a.Decisions[0].Attachments[0].ID)
	if err != nil || string(att.Content) != "%PDF-1.4 ..." || att.SHA256 == "" {
		t.Fatalf("attachment: %+v %v", att, err)
	}
	_ = d
	// Same subject, same listing: suppressed.
	if rep := f.found(t, "run-2", sub, boutEntity()); len(rep.Opened) != 0 || rep.Suppressed != 1 {
		t.Fatalf("suppressed pair: %+v", rep)
	}
	// The listing gains an alias: the pair alerts again and says what changed.
	changed := boutEntity()
	changed.Names = append(changed.Names, lexscreen.Name{Full: "Vadim Aminov", Kind: lexscreen.NameAlias})
	rep = f.found(t, "run-3", sub, changed)
	if len(rep.Opened) != 1 || len(rep.Realerted) != 1 {
		t.Fatalf("changed listing: %+v, want a re-alert", rep)
	}
	re, _ := f.s.Alert(ctx, rep.Opened[0])
	if re.Previous != id || re.Changes == nil || re.Changes.Listing == nil || re.Changes.Subject != nil || re.Changes.PreviousStatus != StatusFalsePositive {
		t.Fatalf("re-alert: previous %d changes %+v", re.Previous, re.Changes)
	}
	if !strings.Contains(re.Changes.Summary, "Vadim Aminov") {
		t.Errorf("the re-alert does not show the new alias: %q", re.Changes.Summary)
	}
	// The subject's date of birth is corrected: alerts again on the new listing.
	sub2 := subject("C-0005", "Viktor Bout", "1967-01-31")
	rep = f.found(t, "run-4", sub2, changed)
	if len(rep.Opened) != 1 {
		t.Fatalf("changed subject: %+v", rep)
	}
	re2, _ := f.s.Alert(ctx, rep.Opened[0])
	if re2.Changes == nil || re2.Changes.Subject == nil || len(re2.Changes.Fields) == 0 || re2.Changes.Fields[0].Field != "dob" {
		t.Fatalf("subject change: %+v", re2.Changes)
	}
	// The earlier re-alert, undecided, is superseded.
	if old, _ := f.s.Alert(ctx, re.ID); old.Status != StatusSuperseded {
		t.Errorf("undecided alert replaced: status %s, want superseded", old.Status)
	}
	// Every action is in the audit log.
	recs, err := f.audit.List(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, r := range recs {
		if r.Kind != audit.KindAction {
			t.Fatalf("record %d kind %q", r.ID, r.Kind)
		}
		var a audit.Action
		if err := jsonUnmarshal(r.Request, &a); err != nil {
			t.Fatal(err)
		}
		actions[a.Action]++
	}
	want := map[string]int{"alert.opened": 3, "decision.made": 1, "decision.approved": 1}
	for k, n := range want {
		if actions[k] != n {
			t.Errorf("audit: %d %s records, want %d (all: %v)", actions[k], k, n, actions)
		}
	}
}

// The database itself refuses what four eyes forbids, whatever writes to it.
func TestFourEyesInSQL(t *testing.T) { onEachBackend(t, testFourEyesInSQL) }

func testFourEyesInSQL(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	rep := f.found(t, "run-1", subject("C-0005", "Viktor Bout", "1967-01-13"), boutEntity())
	id := rep.Opened[0]
	if _, err := f.s.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeFalsePositive, Reason: "not him"}); err != nil {
		t.Fatal(err)
	}
	db := f.s.DB()
	for _, c := range []struct{ name, sql string }{
		{"maker checks own decision", `UPDATE decisions SET state = 'approved', checker = maker, checker_role = 'approver', checked = 'x' WHERE alert_id = ` + itoa(id)},
		{"checker without approver role", `UPDATE decisions SET state = 'approved', checker = 'user:eve', checker_role = 'analyst', checked = 'x' WHERE alert_id = ` + itoa(id)},
		{"alert closed without approval", `UPDATE alerts SET status = 'false_positive' WHERE id = ` + itoa(id)},
		{"suppression without approval", `INSERT INTO suppressions VALUES ('fp', 'us-ofac-sdn:9146', 'efp', ` + itoa(id) + `, 1, 'x')`},
		{"decision deleted", `DELETE FROM decisions`},
		{"alert deleted", `DELETE FROM alerts`},
		{"decision without reason", `INSERT INTO decisions (alert_id, outcome, reason, maker, maker_role, made, from_status) VALUES (` + itoa(id) + `, 'true_match', '', 'user:x', 'analyst', 'x', 'open')`},
		{"approved without checker", `UPDATE decisions SET state = 'approved' WHERE alert_id = ` + itoa(id)},
	} {
		_, err := db.ExecContext(ctx, c.sql)
		if err == nil {
			t.Errorf("%s: the database accepted it", c.name)
		} else if code(dbErr(err)) != lexscreen.ECONFLICT {
			t.Errorf("%s: refused, but not as a rule of the workspace: %v", c.name, err)
		}
	}
	// A decision checked is final.
	if _, err := f.s.Check(ctx, approver, id, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE decisions SET outcome = 'true_match'`); err == nil {
		t.Error("a checked decision was changed")
	}
}

func TestEscalateAndReject(t *testing.T) { onEachBackend(t, testEscalateAndReject) }

func testEscalateAndReject(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	id := f.found(t, "r", subject("C-1", "Viktor Bout", ""), boutEntity()).Opened[0]
	if _, err := f.s.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeEscalate, Reason: "needs the second line"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeTrueMatch, Reason: "again"}); code(err) != lexscreen.ECONFLICT {
		t.Fatalf("decided a pending alert: %v", err)
	}
	if _, err := f.s.Check(ctx, approver, id, false, ""); code(err) != lexscreen.EINVALID {
		t.Fatalf("rejected without a note: %v", err)
	}
	if _, err := f.s.Check(ctx, approver, id, true, "ok"); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.s.Alert(ctx, id); a.Status != StatusEscalated {
		t.Fatalf("status %s, want escalated", a.Status)
	}
	if _, err := f.s.Decide(ctx, approver, id, DecisionInput{Outcome: OutcomeTrueMatch, Reason: "same DOB and passport"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Check(ctx, approver2, id, false, "attach the passport"); err != nil {
		t.Fatal(err)
	}
	a, _ := f.s.Alert(ctx, id)
	if a.Status != StatusEscalated || len(a.Decisions) != 2 || a.Decisions[1].State != DecisionRejected {
		t.Fatalf("after rejection: %s %+v", a.Status, a.Decisions)
	}
	if len(a.History) < 4 {
		t.Errorf("history: %+v", a.History)
	}
}

func TestImportBook(t *testing.T) { onEachBackend(t, testImportBook) }

func testImportBook(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	data := mustRead(t, "testdata/book.csv")
	rep, err := f.s.Import(ctx, analyst, "book.csv", data, ImportOptions{Operator: "eu-bank"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 7 || rep.Created != 4 || rep.Failed != 3 || len(rep.Changed) != 4 {
		t.Fatalf("import: %+v", rep)
	}
	for _, want := range []string{"no name", "no id", "already on line"} {
		found := false
		for _, e := range rep.Errors {
			found = found || strings.Contains(e.Message, want)
		}
		if !found {
			t.Errorf("no row error saying %q: %+v", want, rep.Errors)
		}
	}
	rep, err = f.s.Import(ctx, analyst, "book.csv", data, ImportOptions{Operator: "eu-bank"})
	if err != nil || rep.Unchanged != 4 || rep.Created != 0 || len(rep.Changed) != 0 {
		t.Fatalf("re-import: %+v %v", rep, err)
	}
	p, err := f.s.Subjects(ctx, "", 2)
	if err != nil || len(p.Subjects) != 2 || p.Next != "C-0002" || p.Total != 4 {
		t.Fatalf("page: %+v %v", p, err)
	}
	var ids []string
	f.s.Each(ctx, func(s lexscreen.Subject) error { ids = append(ids, s.ID); return nil })
	if strings.Join(ids, ",") != "C-0001,C-0002,C-0003,C-0005" {
		t.Fatalf("Each: %v", ids)
	}
	stop := errors.New("stop")
	if err := f.s.Each(ctx, func(lexscreen.Subject) error { return stop }); err != stop {
		t.Fatalf("Each did not stop: %v", err)
	}
	if err := f.s.DeleteSubject(ctx, analyst, "C-0003"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Subject(ctx, "C-0003"); code(err) != lexscreen.ENOTFOUND {
		t.Fatalf("deleted subject: %v", err)
	}
	if _, err := f.s.Import(ctx, analyst, "x.csv", []byte("colour,size\nred,2\n"), ImportOptions{}); err == nil {
		t.Fatal("a file without a name column was imported")
	}
}

func TestQueueAndRemoved(t *testing.T) { onEachBackend(t, testQueueAndRemoved) }

func testQueueAndRemoved(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	a1 := f.found(t, "r", subject("C-1", "Viktor Bout", ""), boutEntity()).Opened[0]
	a2 := f.found(t, "r", subject("C-2", "Victor Boutov", ""), boutEntity()).Opened[0]
	if _, err := f.s.Assign(ctx, analyst, a2, "user:ana", parseTime("2026-02-01T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddComment(ctx, analyst, a1, "asked the branch for the passport"); err != nil {
		t.Fatal(err)
	}
	q, err := f.s.Alerts(ctx, AlertFilter{Queue: true})
	if err != nil || len(q.Alerts) != 2 || q.Alerts[0].ID != a1 {
		t.Fatalf("queue: %+v %v", q, err)
	}
	mine, _ := f.s.Alerts(ctx, AlertFilter{Assignee: "user:ana"})
	if len(mine.Alerts) != 1 || mine.Alerts[0].ID != a2 || mine.Alerts[0].Due.Format("2006-01-02") != "2026-02-01" {
		t.Fatalf("assigned: %+v", mine.Alerts)
	}
	ids, err := f.s.RemovedAs(ctx, System("test"), "r2", []string{"us-ofac-sdn:9146"})
	if err != nil || len(ids) != 2 {
		t.Fatalf("removed: %v %v", ids, err)
	}
	a, _ := f.s.Alert(ctx, a1)
	if a.ListingRemoved == nil || a.Status != StatusOpen || len(a.Comments) != 1 {
		t.Fatalf("after removal: %+v", a)
	}
}

// TestReservedSubjectIDs: a book subject may not take the id prefixes of
// ad-hoc and payment alerts, or its alerts would mix with theirs.
func TestReservedSubjectIDs(t *testing.T) {
	for _, id := range []string{"adhoc:1", "party:abc", "text:abc"} {
		sub := lexscreen.Subject{ID: id, Query: lexscreen.Query{Name: "Maria Garcia"}}
		if err := checkSubject(&sub); err == nil || !strings.Contains(err.Error(), "not subjects of the book") {
			t.Errorf("%s: %v", id, err)
		}
	}
	ok := lexscreen.Subject{ID: "partyline-7", Query: lexscreen.Query{Name: "Maria Garcia"}}
	if err := checkSubject(&ok); err != nil {
		t.Errorf("an ordinary id refused: %v", err)
	}
}
