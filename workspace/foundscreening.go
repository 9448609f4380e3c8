package workspace

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// The alert-opening screening under load (POST /v1/screen?alert=1). It
// used to wait for two commits in a row, each with a flush of the disk:
// the audit log's (the screening's record), then the workspace's (the
// alerts), even when the screening only found alerts that were already
// open, the steady state of a day's screenings. FoundScreening waits for
// one commit in that case, and for the same two, taken together, when it
// opens an alert:
//
//   - It first reads, outside any write, what each match would do: a pair
//     an approved false positive suppresses, or whose latest alert has the
//     same fingerprints, opens nothing. Alerts and suppressions are never
//     deleted, so what the read finds stays true; the answer is the one a
//     write at the moment of the read would have given.
//   - When no match opens an alert, the screening's audit record is
//     appended (and flushed) and the answer goes; the alerts' "last seen"
//     marks follow in a later group commit (markSeen). They are
//     bookkeeping, not the record: the screening's audit record says the
//     alert was seen again. A mark that could not be written is counted
//     (WriteStats.SeenLost), never silently dropped.
//   - When a match opens an alert, the screening's record goes in the
//     audit append of the alert's group commit, before its alert.opened
//     records: one append, one workspace commit, and the answer only when
//     both are durable. If either fails, neither the alert nor the answer
//     exists (an error is returned).

// FoundScreening records an ad-hoc screening that matched, with recs its
// audit records, not yet appended: on success both the records and the
// alerts it opened are durable; on error no alert was opened. Pairs that
// open nothing cost no workspace write before the answer.
func (s *Store) FoundScreening(ctx context.Context, actor Actor, run string, results []SubjectResult, recs []*audit.Record) (FoundReport, error) {
	rep := FoundReport{Opened: []int64{}, Realerted: []int64{}}
	if strings.TrimSpace(run) == "" {
		return rep, lexscreen.Errorf(lexscreen.EINVALID, "run: required (what screening this is, for the record)")
	}
	if len(results) > aloneAbove {
		// Large: the plain path, record first.
		if err := s.appendScreening(ctx, recs); err != nil {
			return rep, err
		}
		return s.FoundAs(ctx, actor, run, results)
	}
	for i := range results {
		if results[i].Subject.Fingerprint == "" {
			results[i].Subject.Fingerprint = lexscreen.SubjectFingerprint(results[i].Subject.Query)
		}
	}
	var seen seenPairs
	for {
		var opens bool
		var err error
		seen, opens, err = s.precheck(ctx, results)
		if err != nil {
			return rep, err
		}
		if !opens {
			break
		}
		if len(results) != 1 {
			return s.foundOpening(ctx, actor, run, results, recs)
		}
		done, first := s.openings.join(results[0].Subject.ID)
		if first {
			defer s.openings.leave(results[0].Subject.ID, done)
			return s.foundOpening(ctx, actor, run, results, recs)
		}
		select {
		case <-done: // read again: the alert is open now, or this one opens it
		case <-ctx.Done():
			return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the screening waited for the alert another screening of the same subject was opening: %v", ctx.Err())
		}
	}
	if err := s.appendScreening(ctx, recs); err != nil {
		return rep, err
	}
	for _, id := range seen.ids {
		s.markSeen(id, s.now(), run)
	}
	rep.Unchanged, rep.Suppressed = len(seen.ids), seen.suppressed
	return rep, nil
}

// openings are the subjects whose alerts a screening is opening now. A
// name screened a hundred times a second would otherwise queue a hundred
// writes in the moment its first alert takes to open (each finding, in
// the writer, the alert the one before opened): the screenings of that
// subject that come meanwhile wait for the first one's write instead,
// then read again and find the alert open (or open it, if that write
// failed). Within one process only: the write itself decides.
type openings struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

// join returns the channel closed when the opening of subject ends, and
// whether the caller is the one opening it (it must then call leave).
func (o *openings) join(subject string) (done chan struct{}, first bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if c, ok := o.m[subject]; ok {
		return c, false
	}
	if o.m == nil {
		o.m = map[string]chan struct{}{}
	}
	c := make(chan struct{})
	o.m[subject] = c
	return c, true
}

// leave ends the opening of subject that join started.
func (o *openings) leave(subject string, done chan struct{}) {
	o.mu.Lock()
	delete(o.m, subject)
	o.mu.Unlock()
	close(done)
}

// foundOpening is FoundScreening when a match opens an alert: the alerts
// and the screening's records in one group commit.
func (s *Store) foundOpening(ctx context.Context, actor Actor, run string, results []SubjectResult, recs []*audit.Record) (FoundReport, error) {
	rep := FoundReport{Opened: []int64{}, Realerted: []int64{}}
	listings := map[string]*lexscreen.Entity{}
	for _, sr := range results {
		for _, m := range sr.Result.Matches {
			if _, done := listings[m.Entity.ID]; !done {
				listings[m.Entity.ID] = s.listing(ctx, sr.Result, m.Entity.ID, sr.EntityFingerprints[m.Entity.ID])
			}
		}
	}
	frozens := make([]*frozen, len(results))
	for i, sr := range results {
		frozens[i] = freeze(sr.Subject, sr, listings)
	}
	// The screening's record (its whole result) is encoded here, not in
	// the writer every other write waits for.
	if err := audit.Encode(recs...); err != nil {
		return rep, lexscreen.Errorf(lexscreen.EINTERNAL, "the record of this screening could not be encoded, so no alert was opened: %v", err)
	}
	err := s.queueWrite(&writeReq{ctx: ctx, pre: recs, fn: func(ctx context.Context, tx *sql.Tx, c *change) error {
		rep = FoundReport{Opened: []int64{}, Realerted: []int64{}}
		for i, sr := range results {
			for _, m := range sr.Result.Matches {
				if err := s.found(ctx, tx, c, actor, run, sr.Subject, sr, m, listings[m.Entity.ID], frozens[i], &rep); err != nil {
					return err
				}
			}
		}
		return nil
	}})
	return rep, err
}

// appendScreening appends a screening's audit records.
func (s *Store) appendScreening(ctx context.Context, recs []*audit.Record) error {
	if err := s.opts.Audit.Append(ctx, recs...); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the audit log refused the record of this screening, so no alert was opened: %v", err)
	}
	return nil
}

// seenPairs is what a precheck found: the alerts seen again and the pairs
// suppressed.
type seenPairs struct {
	ids        []int64
	suppressed int
}

// precheck reads what each match of results would do; opens reports that
// at least one needs a write (an alert to open or re-open).
func (s *Store) precheck(ctx context.Context, results []SubjectResult) (seen seenPairs, opens bool, err error) {
	for _, sr := range results {
		for _, m := range sr.Result.Matches {
			efp := sr.EntityFingerprints[m.Entity.ID]
			if efp == "" {
				return seen, true, nil // alerted every time (Unfingerprinted)
			}
			k := verdictKey{pairKey{sr.Subject.ID, m.Entity.ID}, suppressionKey{sr.Subject.Fingerprint, m.Entity.ID, efp}}
			v, ok := s.verdicts.get(k, time.Now())
			if !ok {
				var opens bool
				if v, opens, err = s.readVerdict(ctx, k); err != nil || opens {
					return seen, opens, err
				}
				s.verdicts.put(k, v)
			}
			if v.suppressed {
				seen.suppressed++
			} else {
				seen.ids = append(seen.ids, v.alert)
			}
		}
	}
	return seen, false, nil
}

// readVerdict reads k's verdict from the database; opens reports that the
// match needs a write instead.
func (s *Store) readVerdict(ctx context.Context, k verdictKey) (v verdict, opens bool, err error) {
	suppressed, _ := s.rstmts.Load(qSuppressed)
	last, _ := s.rstmts.Load(qLastOfPair)
	if suppressed == nil || last == nil {
		return v, true, nil
	}
	v.gen, v.read = s.verdicts.generation(), time.Now()
	var one int
	switch err := suppressed.(*sql.Stmt).QueryRowContext(ctx, k.sup.subjectFP, k.sup.entityID, k.sup.entityFP).Scan(&one); err {
	case nil:
		v.suppressed = true
		return v, false, nil
	case sql.ErrNoRows:
	default:
		return v, false, dbErr(err)
	}
	var subFP, entFP string
	switch err := last.(*sql.Stmt).QueryRowContext(ctx, k.pair.subjectID, k.pair.entityID).Scan(&v.alert, &subFP, &entFP); {
	case err == sql.ErrNoRows:
		return v, true, nil
	case err != nil:
		return v, false, dbErr(err)
	case subFP != k.sup.subjectFP || entFP != k.sup.entityFP:
		return v, true, nil
	}
	return v, false, nil
}

// seenMarks holds the "last seen" marks of alerts found again, written in
// the background by one flusher at a time through the group commit.
type seenMarks struct {
	mu       sync.Mutex
	pending  map[int64]seenMark // alert id -> latest mark
	flushing bool
	idle     *sync.Cond // signalled when a flusher stops
	lost     atomic.Int64
}

type seenMark struct {
	at  time.Time
	run string
}

// markSeen notes that alert id was found again at t by run.
func (s *Store) markSeen(id int64, t time.Time, run string) {
	m := &s.seen
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		m.pending = map[int64]seenMark{}
	}
	m.pending[id] = seenMark{t, run}
	if !m.flushing {
		m.flushing = true
		go s.flushSeen()
	}
}

// seenFlushEvery is how often the pending marks are written: each flush is
// a write (and a flush of the disk), so marks are gathered meanwhile, the
// same alert's many times over under load.
var seenFlushEvery = 200 * time.Millisecond

// flushSeen writes the pending marks every seenFlushEvery until none are
// left.
func (s *Store) flushSeen() {
	m := &s.seen
	for {
		time.Sleep(seenFlushEvery)
		m.mu.Lock()
		batch := m.pending
		m.pending = nil
		if len(batch) == 0 {
			m.flushing = false
			if m.idle != nil {
				m.idle.Broadcast()
			}
			m.mu.Unlock()
			return
		}
		m.mu.Unlock()
		err := s.write(context.Background(), func(ctx context.Context, tx *sql.Tx, c *change) error {
			st := s.stmt(ctx, tx, qSeenAgain)
			for id, mk := range batch {
				if _, err := st.ExecContext(ctx, timeText(mk.at), mk.run, id); err != nil {
					return dbErr(err)
				}
			}
			return nil
		})
		if err != nil {
			m.lost.Add(int64(len(batch)))
		}
	}
}

// FlushSeen waits until the "last seen" marks noted so far are written
// (or counted lost).
func (s *Store) FlushSeen() {
	m := &s.seen
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idle == nil {
		m.idle = sync.NewCond(&m.mu)
	}
	for m.flushing {
		m.idle.Wait()
	}
}
