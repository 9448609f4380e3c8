package workspace

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// screeningRecord is the audit record a server makes of one screening.
func screeningRecord(t testing.TB, res lexscreen.Result) *audit.Record {
	t.Helper()
	req, _ := json.Marshal(res.Query)
	body, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return &audit.Record{Kind: "screen", KeyID: "5c5c", Request: req, Operator: res.Operator, Date: res.Date,
		Threshold: res.Engine.Threshold, Lists: res.Lists, Snapshots: []int64{7}, Engine: res.Engine.Version, Result: body}
}

// screenAlert records an ad-hoc screening of sub matching es the way
// POST /v1/screen?alert=1 does.
func (f *fixture) screenAlert(t *testing.T, run string, sub lexscreen.Subject, es ...*lexscreen.Entity) (FoundReport, error) {
	t.Helper()
	for _, e := range es {
		if f.listings[e.ID] != e { // tests that screen at once put their listings first
			f.listings[e.ID] = e
		}
	}
	res, fps := resultFor(sub.Query, es...)
	return f.s.FoundScreening(context.Background(), screener, run, []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}},
		[]*audit.Record{screeningRecord(t, res)})
}

// kinds lists the audit log's records: a screening's kind, an action's
// action.
func kinds(t *testing.T, adb *audit.DB) []string {
	t.Helper()
	recs, err := adb.List(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		if r.Kind != audit.KindAction {
			out = append(out, r.Kind)
			continue
		}
		var a audit.Action
		if err := jsonUnmarshal(r.Request, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Action)
	}
	return out
}

// An ad-hoc screening that opens an alert: its record and the alert's go
// in one append, the screening first; found again, only the screening is
// recorded and the alert's last seen follows after the answer.
func TestFoundScreeningRecordsTheScreeningWithItsAlert(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sub := subject("adhoc:bout", "Viktor Bout", "1967-01-13")
	rep, err := f.screenAlert(t, "screen:1", sub, boutEntity())
	if err != nil || len(rep.Opened) != 1 {
		t.Fatalf("first screening: %+v %v", rep, err)
	}
	if got := kinds(t, f.audit); len(got) != 2 || got[0] != "screen" || got[1] != "alert.opened" {
		t.Fatalf("audit log %v, want the screening then its alert", got)
	}
	before := f.s.WriteStats().Commits
	rep, err = f.screenAlert(t, "screen:2", sub, boutEntity())
	if err != nil || len(rep.Opened) != 0 || rep.Unchanged != 1 {
		t.Fatalf("same screening again: %+v %v", rep, err)
	}
	if got := kinds(t, f.audit); len(got) != 3 || got[2] != "screen" {
		t.Fatalf("audit log %v, want a third record, the screening", got)
	}
	if after := f.s.WriteStats().Commits; after != before {
		t.Errorf("the answer waited for %d workspace commits, want none", after-before)
	}
	f.s.FlushSeen()
	a, err := f.s.Alert(ctx, onlyAlert(t, f, sub))
	if err != nil {
		t.Fatal(err)
	}
	if a.LastRun != "screen:2" {
		t.Errorf("last run %q after flushing, want screen:2", a.LastRun)
	}
	if st := f.s.WriteStats(); st.SeenLost != 0 {
		t.Errorf("%d last-seen marks lost", st.SeenLost)
	}
}

// onlyAlert is the id of the subject's only alert.
func onlyAlert(t *testing.T, f *fixture, sub lexscreen.Subject) int64 {
	t.Helper()
	var id int64
	if err := f.s.DB().QueryRow(`SELECT id FROM alerts WHERE subject_id = ?`, sub.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// switchRecorder appends to an audit log until told to refuse.
type switchRecorder struct {
	db     *audit.DB
	refuse atomic.Bool
}

func (r *switchRecorder) Append(ctx context.Context, recs ...*audit.Record) error {
	if r.refuse.Load() {
		return failingRecorder{}.Append(ctx, recs...)
	}
	return r.db.Append(ctx, recs...)
}

// Fail closed: when the audit log refuses the screening's record, or the
// workspace refuses the alert, the caller gets an error, and neither the
// alert nor the record exists without the other.
func TestFoundScreeningFailsClosed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	adb, err := audit.Open(ctx, filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer adb.Close()
	rec := &switchRecorder{db: adb}
	bout := boutEntity()
	s, err := Open(ctx, filepath.Join(dir, "workspace.db"), Options{Audit: rec, Listings: listings{bout.ID: bout}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := &fixture{s: s, audit: adb, listings: listings{bout.ID: bout}}
	alerts := func() (n int) {
		s.DB().QueryRow(`SELECT count(*) FROM alerts`).Scan(&n)
		return n
	}
	steps := []struct {
		name      string
		sub       lexscreen.Subject
		refuse    bool   // the audit log refuses
		trigger   string // SQL making the workspace refuse
		wantCode  string
		alerts    int // alerts after the step
		auditRecs int // audit records after the step
	}{
		{name: "audit refuses a new alert", sub: subject("adhoc:a", "Viktor Bout", "1967"), refuse: true,
			wantCode: lexscreen.EUNAVAILABLE, alerts: 0, auditRecs: 0},
		{name: "workspace refuses a new alert",
			sub:     subject("adhoc:a", "Viktor Bout", "1967"),
			trigger: `CREATE TRIGGER refuse_alerts BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'test: disk quota'); END`,
			alerts:  0, auditRecs: 0, wantCode: "any"},
		{name: "opens", sub: subject("adhoc:a", "Viktor Bout", "1967"), alerts: 1, auditRecs: 2},
		{name: "audit refuses a screening that finds its alert", sub: subject("adhoc:a", "Viktor Bout", "1967"), refuse: true,
			wantCode: lexscreen.EUNAVAILABLE, alerts: 1, auditRecs: 2},
		{name: "found again", sub: subject("adhoc:a", "Viktor Bout", "1967"), alerts: 1, auditRecs: 3},
	}
	for _, st := range steps {
		rec.refuse.Store(st.refuse)
		if st.trigger != "" {
			if _, err := s.DB().Exec(st.trigger); err != nil {
				t.Fatal(err)
			}
		}
		_, err := f.screenAlert(t, "screen:"+st.name, st.sub, bout)
		switch {
		case st.wantCode == "" && err != nil:
			t.Errorf("%s: %v", st.name, err)
		case st.wantCode == "any" && err == nil, st.wantCode != "" && st.wantCode != "any" && code(err) != st.wantCode:
			t.Errorf("%s: error %v, want code %s", st.name, err, st.wantCode)
		}
		if st.trigger != "" {
			s.DB().Exec(`DROP TRIGGER refuse_alerts`)
		}
		if n := alerts(); n != st.alerts {
			t.Errorf("%s: %d alerts, want %d", st.name, n, st.alerts)
		}
		if n := len(kinds(t, adb)); n != st.auditRecs {
			t.Errorf("%s: %d audit records, want %d", st.name, n, st.auditRecs)
		}
	}
}

// FoundScreening answers as FoundAs would, whatever was decided and
// changed in between: two stores, one recording each screening with
// FoundAs and one with FoundScreening, go through the same life of a
// pair and report the same at every step.
func TestFoundScreeningAnswersAsFoundAs(t *testing.T) {
	ctx := context.Background()
	plain, quick := newFixture(t), newFixture(t)
	sub := subject("adhoc:bout", "Viktor Bout", "1967-01-13")
	moved := subject("adhoc:bout", "Viktor Bout", "1967-01-31") // the same id, other data
	bout := boutEntity()
	alias := boutEntity()
	alias.Names = append(alias.Names, lexscreen.Name{Full: "Vadim Aminov", Kind: lexscreen.NameAlias})
	type report struct {
		opened, realerted, unchanged, suppressed int
	}
	var lastOpened [2]int64
	steps := []struct {
		name   string
		sub    lexscreen.Subject
		entity *lexscreen.Entity
		// decide: the last alert opened is decided false positive and
		// approved before the screening
		decide bool
		want   report
	}{
		{"first", sub, bout, false, report{opened: 1}},
		{"again", sub, bout, false, report{unchanged: 1}},
		{"approved false positive", sub, bout, true, report{suppressed: 1}},
		{"suppressed again", sub, bout, false, report{suppressed: 1}},
		{"listing gains an alias", sub, alias, false, report{opened: 1, realerted: 1}},
		{"the alias again", sub, alias, false, report{unchanged: 1}},
		{"back on the old listing (an older snapshot)", sub, bout, false, report{suppressed: 1}},
		{"subject data changed", moved, alias, false, report{opened: 1, realerted: 1}},
		{"the old subject data again", sub, alias, false, report{opened: 1, realerted: 1}},
		{"and again", sub, alias, false, report{unchanged: 1}},
	}
	for _, st := range steps {
		var got [2]report
		for i, f := range []*fixture{plain, quick} {
			if st.decide {
				id := lastOpened[i]
				if _, err := f.s.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeFalsePositive, Reason: "born in Kyiv, other passport"}); err != nil {
					t.Fatal(err)
				}
				if _, err := f.s.Check(ctx, approver2, id, true, "checked"); err != nil {
					t.Fatal(err)
				}
			}
			var rep FoundReport
			var err error
			if i == 0 {
				rep = f.found(t, "run:"+st.name, st.sub, st.entity)
			} else if rep, err = f.screenAlert(t, "run:"+st.name, st.sub, st.entity); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if len(rep.Opened) > 0 {
				lastOpened[i] = rep.Opened[0]
			}
			got[i] = report{len(rep.Opened), len(rep.Realerted), rep.Unchanged, rep.Suppressed}
		}
		if got[0] != st.want || got[1] != st.want {
			t.Errorf("%s: FoundAs %+v, FoundScreening %+v, want %+v", st.name, got[0], got[1], st.want)
		}
	}
	// The alerts keep the same subject, result and listing (frozen before
	// the write in FoundScreening, during it in FoundAs).
	frozenOf := func(f *fixture) (out []string) {
		rows, err := f.s.DB().Query(`SELECT subject, ` + alertResult + `, coalesce(entity, ''), subject_fp, entity_fp FROM alerts ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var subj, res, ent, sfp, efp string
			if err := rows.Scan(&subj, &res, &ent, &sfp, &efp); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res, `"matches"`) {
				t.Errorf("an alert keeps no result: %.300q", res)
			}
			out = append(out, subj+"|"+res+"|"+ent+"|"+sfp+"|"+efp)
		}
		return out
	}
	a, b := frozenOf(plain), frozenOf(quick)
	if len(a) != 4 || len(a) != len(b) {
		t.Fatalf("%d and %d alerts, want 4 each", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("alert %d kept differently:\nFoundAs        %.300s\nFoundScreening %.300s", i+1, a[i], b[i])
		}
		if !strings.Contains(a[i], `"us-ofac-sdn:9146"`) || !strings.Contains(a[i], "Viktor Bout") {
			t.Errorf("alert %d keeps no listing or subject: %.300s", i+1, a[i])
		}
	}
}

// A verdict read before a commit that touches its keys is not used; one
// read after is, until it is verdictTTL old.
func TestVerdictCacheTouches(t *testing.T) {
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	k := verdictKey{pairKey{"adhoc:x", "us-ofac-sdn:9146"}, suppressionKey{"sfp", "us-ofac-sdn:9146", "efp"}}
	other := verdictKey{pairKey{"adhoc:y", "us-ofac-sdn:9146"}, suppressionKey{"sfp2", "us-ofac-sdn:9146", "efp"}}
	cases := []struct {
		name  string
		touch func(c *verdictCache)
		after time.Duration
		hit   bool
	}{
		{"untouched", func(*verdictCache) {}, 0, true},
		{"another pair touched", func(c *verdictCache) { c.touch([]pairKey{other.pair}, nil) }, 0, true},
		{"an alert of the pair opened", func(c *verdictCache) { c.touch([]pairKey{k.pair}, nil) }, 0, false},
		{"a suppression of its fingerprints", func(c *verdictCache) { c.touch(nil, []suppressionKey{k.sup}) }, 0, false},
		{"the subject's other suppression", func(c *verdictCache) { c.touch(nil, []suppressionKey{other.sup}) }, 0, true},
		{"too old", func(*verdictCache) {}, verdictTTL, false},
		{"from the future (clock stepped back)", func(*verdictCache) {}, -time.Millisecond, false},
	}
	for _, tc := range cases {
		var c verdictCache
		c.put(k, verdict{alert: 3, gen: c.generation(), read: now})
		tc.touch(&c)
		if _, hit := c.get(k, now.Add(tc.after)); hit != tc.hit {
			t.Errorf("%s: hit %v, want %v", tc.name, hit, tc.hit)
		}
		// Read again after the touch, it is used.
		c.put(k, verdict{alert: 4, gen: c.generation(), read: now})
		if v, hit := c.get(k, now); !hit || v.alert != 4 {
			t.Errorf("%s: verdict read after the touch: %+v %v", tc.name, v, hit)
		}
	}
	// Too many touches: every verdict is forgotten.
	var c verdictCache
	c.put(k, verdict{alert: 3, gen: c.generation(), read: now})
	for i := range verdictCacheMax + 1 {
		c.touch([]pairKey{{itoa(int64(i)), "e"}}, nil)
	}
	if _, hit := c.get(k, now); hit {
		t.Error("a verdict survived the reset of the touches")
	}
}

// Many screenings of the same few subjects at once: one alert per pair,
// one audit record per screening and per alert opened, no "last seen"
// lost.
func TestFoundScreeningConcurrent(t *testing.T) {
	f := newFixture(t)
	bout := boutEntity()
	f.listings[bout.ID] = bout
	subs := []lexscreen.Subject{subject("adhoc:1", "Viktor Bout", "1967"), subject("adhoc:2", "Victor Boutov", ""), subject("adhoc:3", "V. Bout", "1967-01-13")}
	const workers, each = 8, 25
	errs := make(chan error, workers*each)
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				sub := subs[(w+i)%len(subs)]
				res, fps := resultFor(sub.Query, bout)
				_, err := f.s.FoundScreening(context.Background(), screener, "run-"+itoa(int64(w)), []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}},
					[]*audit.Record{screeningRecord(t, res)})
				errs <- err
			}
		}()
	}
	for range workers {
		<-done
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	f.s.FlushSeen()
	var alerts int
	f.s.DB().QueryRow(`SELECT count(*) FROM alerts`).Scan(&alerts)
	if alerts != len(subs) {
		t.Errorf("%d alerts, want one per subject (%d)", alerts, len(subs))
	}
	got := map[string]int{}
	for _, k := range kinds(t, f.audit) {
		got[k]++
	}
	if got["screen"] != workers*each || got["alert.opened"] != len(subs) {
		t.Errorf("audit records %v, want %d screenings and %d alerts opened", got, workers*each, len(subs))
	}
	if st := f.s.WriteStats(); st.SeenLost != 0 {
		t.Errorf("%d last-seen marks lost", st.SeenLost)
	}
}

// The screenings of a subject that come while its first alert is being
// opened wait for that write instead of queueing writes of their own, then
// find the alert open: one write for the burst, every screening recorded.
func TestFoundScreeningOpensOnce(t *testing.T) {
	f := newFixture(t)
	bout := boutEntity()
	f.listings[bout.ID] = bout
	sub := subject("adhoc:bout", "Viktor Bout", "1967-01-13")
	screen := func() error {
		res, fps := resultFor(sub.Query, bout)
		_, err := f.s.FoundScreening(context.Background(), screener, "burst", []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}},
			[]*audit.Record{screeningRecord(t, res)})
		return err
	}
	before := f.s.WriteStats().Writes
	// The writer is held, so the first screening's write waits in its
	// queue while the others come.
	f.s.mu.Lock()
	const burst = 20
	errs := make(chan error, burst)
	go func() { errs <- screen() }()
	// Its write is queued once it has read that the alert is not open
	// (with the opening marked) or, whatever the code, within a moment.
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		f.s.openings.mu.Lock()
		_, opening := f.s.openings.m[sub.ID]
		f.s.openings.mu.Unlock()
		if opening {
			break
		}
	}
	for range burst - 1 {
		go func() { errs <- screen() }()
	}
	time.Sleep(100 * time.Millisecond) // their reads find the alert not yet open
	f.s.mu.Unlock()
	for range burst {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if w := f.s.WriteStats().Writes - before; w != 1 {
		t.Errorf("%d workspace writes for a burst of %d screenings of one subject, want 1 (the alert's)", w, burst)
	}
	got := map[string]int{}
	for _, k := range kinds(t, f.audit) {
		got[k]++
	}
	if got["screen"] != burst || got["alert.opened"] != 1 {
		t.Errorf("audit records %v, want %d screenings and 1 alert opened", got, burst)
	}
}
