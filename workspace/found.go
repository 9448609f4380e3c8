package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/lexscreen/lexscreen/monitor"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// SubjectResult is the screening of one subject that matched, with the
// fingerprint of each listing matched: the monitor's, so that a Store is
// the monitor's Book and Sink.
type SubjectResult = monitor.SubjectResult

// FoundReport says what recording screenings did.
type FoundReport struct {
	Opened     []int64 `json:"opened"`     // new alerts (re-alerts included)
	Realerted  []int64 `json:"realerted"`  // new alerts on a pair seen before whose subject or listing changed
	Unchanged  int     `json:"unchanged"`  // pairs whose latest alert has the same fingerprints: seen again, no new alert
	Suppressed int     `json:"suppressed"` // pairs an approved false positive suppresses
	// Unfingerprinted counts matches with no listing fingerprint: alerted,
	// but such an alert can never suppress.
	Unfingerprinted int `json:"unfingerprinted"`
}

// Found records screenings of subjects that matched (monitor.Sink): one
// alert per (subject, listed entity) at or above the threshold, unless
// suppressed or already alerted with the same fingerprints. Idempotent:
// the same run recorded twice opens nothing the second time.
func (s *Store) Found(ctx context.Context, run string, results []SubjectResult) error {
	_, err := s.FoundAs(ctx, System("monitor"), run, results)
	return err
}

// FoundAs is Found by an actor, with a report.
func (s *Store) FoundAs(ctx context.Context, actor Actor, run string, results []SubjectResult) (FoundReport, error) {
	rep := FoundReport{Opened: []int64{}, Realerted: []int64{}}
	if strings.TrimSpace(run) == "" {
		return rep, lexscreen.Errorf(lexscreen.EINVALID, "run: required (what screening this is, for the record)")
	}
	// Read the listings before the write, outside its transaction.
	listings := map[string]*lexscreen.Entity{}
	for _, sr := range results {
		for _, m := range sr.Result.Matches {
			if _, done := listings[m.Entity.ID]; !done {
				listings[m.Entity.ID] = s.listing(ctx, sr.Result, m.Entity.ID, sr.EntityFingerprints[m.Entity.ID])
			}
		}
	}
	write := s.write
	if len(results) > aloneAbove {
		write = s.writeAlone
	}
	err := write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		rep = FoundReport{Opened: []int64{}, Realerted: []int64{}}
		for _, sr := range results {
			sub := sr.Subject
			if sub.Fingerprint == "" {
				sub.Fingerprint = lexscreen.SubjectFingerprint(sub.Query)
			}
			for _, m := range sr.Result.Matches {
				if err := s.found(ctx, tx, c, actor, run, sub, sr, m, listings[m.Entity.ID], nil, &rep); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return rep, err
}

// listing reads the listed entity a result matched from the snapshot the
// result used, when the store has a ListingReader and the listing read
// has the fingerprint given; else nil.
func (s *Store) listing(ctx context.Context, res lexscreen.Result, id, fp string) *lexscreen.Entity {
	if s.opts.Listings == nil || fp == "" {
		return nil
	}
	src, _, _ := strings.Cut(id, ":")
	for _, l := range res.Lists {
		if l.Source == src && l.Snapshot > 0 {
			e, efp, err := readListing(ctx, s.opts.Listings, id, l.Snapshot)
			if err != nil || efp != fp {
				return nil
			}
			return e
		}
	}
	return nil
}

// found records one match in tx; fz, if not nil, is the JSON of sr made
// before the write.
func (s *Store) found(ctx context.Context, tx *sql.Tx, c *change, actor Actor, run string, sub lexscreen.Subject,
	sr SubjectResult, m lexscreen.Match, entity *lexscreen.Entity, fz *frozen, rep *FoundReport) error {
	now := s.now()
	efp := sr.EntityFingerprints[m.Entity.ID]
	if efp == "" {
		rep.Unfingerprinted++
	} else {
		var one int
		err := s.stmt(ctx, tx, qSuppressed).QueryRowContext(ctx, sub.Fingerprint, m.Entity.ID, efp).Scan(&one)
		if err == nil {
			rep.Suppressed++
			return nil
		}
		if err != sql.ErrNoRows {
			return dbErr(err)
		}
	}
	// The last alert of the pair: its fingerprints first (an unchanged
	// pair, the common case, needs nothing else), the whole alert only
	// when a new one must say what changed.
	var prevID int64
	var prevSubFP, prevEntFP string
	var prev *Alert
	err := s.stmt(ctx, tx, qLastOfPair).QueryRowContext(ctx, sub.ID, m.Entity.ID).Scan(&prevID, &prevSubFP, &prevEntFP)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return dbErr(err)
	case prevSubFP == sub.Fingerprint && prevEntFP == efp && efp != "":
		rep.Unchanged++
		_, err := s.stmt(ctx, tx, qSeenAgain).ExecContext(ctx, timeText(now), run, prevID)
		return dbErr(err)
	default:
		if prev, err = scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, prevID)); err != nil {
			return dbErr(err)
		}
	}
	a := &Alert{Status: StatusOpen, SubjectID: sub.ID, Subject: sub, EntityID: m.Entity.ID, EntityName: m.Entity.Name,
		EntityFingerprint: efp, Entity: entity, Score: m.Score, Result: sr.Result, Run: run, Due: now.Add(s.opts.DueIn),
		Opened: now, Updated: now, LastSeen: now, LastRun: run}
	note := fmt.Sprintf("score %.2f on %s (%s)", m.Score, m.Entity.ID, m.Entity.Name)
	if prev != nil {
		a.Previous = prev.ID
		a.Changes = diffAlert(prev, a)
		note += "; " + a.Changes.Summary
	}
	subj, res, hash, ent := fz.json(sub, sr.Result, entity)
	if !c.frozen[hash] {
		// Once for the alerts of this result (and for any other alert
		// whose result is the same to the byte).
		if _, err := s.stmt(ctx, tx, qInsertFrozen).ExecContext(ctx, hash, res); err != nil {
			return dbErr(err)
		}
		if c.frozen == nil {
			c.frozen = map[string]bool{}
		}
		c.frozen[hash] = true
	}
	var chg any
	if a.Changes != nil {
		b, _ := json.Marshal(a.Changes)
		chg = string(b)
	}
	var previous any
	if a.Previous != 0 {
		previous = a.Previous
	}
	c.touchPair(sub.ID, m.Entity.ID)
	err = s.stmt(ctx, tx, qInsertAlert).QueryRowContext(ctx,
		a.Status, a.SubjectID, subj, sub.Fingerprint, a.EntityID, a.EntityName, efp, ent, a.Score, hash, run,
		timeText(a.Due), timeText(now), timeText(now), timeText(now), run, previous, chg).Scan(&a.ID)
	if err != nil {
		return dbErr(err)
	}
	if err := s.addHistory(ctx, tx, a.ID, now, actor, "opened", "", StatusOpen, note); err != nil {
		return err
	}
	rep.Opened = append(rep.Opened, a.ID)
	if prev != nil {
		rep.Realerted = append(rep.Realerted, a.ID)
		if prev.Status == StatusOpen {
			if err := s.setStatus(ctx, tx, prev, now, actor, StatusSuperseded, fmt.Sprintf("superseded by alert %d: %s", a.ID, a.Changes.Summary)); err != nil {
				return err
			}
		}
	}
	c.act(actor, "alert.opened", fmt.Sprintf("alert:%d", a.ID), alertSummary(a))
	c.events = append(c.events, Event{Type: EventAlertOpened, Alert: a.ID, Actor: actor.ID, Data: alertSummary(a)})
	return nil
}

// alertSummary is what the audit record and the events say of an alert:
// enough to identify the screening (list versions, engine) without the
// whole result, which the alert keeps.
func alertSummary(a *Alert) map[string]any {
	m := map[string]any{"alert": a.ID, "status": a.Status, "subject_id": a.SubjectID, "subject_fingerprint": a.Subject.Fingerprint,
		"entity_id": a.EntityID, "entity_name": a.EntityName, "entity_fingerprint": a.EntityFingerprint, "score": a.Score,
		"run": a.Run, "lists": a.Result.Lists, "engine": a.Result.Engine, "operator": a.Result.Operator, "date": a.Result.Date}
	if mt := a.Match(); mt != nil {
		m["obligations"] = mt.Obligations
	}
	if a.Previous != 0 {
		m["previous"] = a.Previous
		m["changes"] = a.Changes
	}
	return m
}

// Removed notes that listed entities left their lists (monitor.Sink): each
// of their alerts is annotated and noted in its history. Open alerts stay
// open: whether a hit on a delisted entity still matters (past dealings,
// other lists) is for a person to decide.
func (s *Store) Removed(ctx context.Context, run string, entityIDs []string) error {
	_, err := s.RemovedAs(ctx, System("monitor"), run, entityIDs)
	return err
}

// RemovedAs is Removed by an actor; it returns the alerts annotated.
func (s *Store) RemovedAs(ctx context.Context, actor Actor, run string, entityIDs []string) ([]int64, error) {
	annotated := []int64{}
	write := s.write
	if len(entityIDs) > aloneAbove {
		write = s.writeAlone
	}
	err := write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		annotated = annotated[:0]
		now := s.now()
		for _, id := range entityIDs {
			rows, err := tx.QueryContext(ctx, `SELECT id FROM alerts WHERE entity_id = ? AND listing_removed IS NULL ORDER BY id`, id)
			if err != nil {
				return dbErr(err)
			}
			var ids []int64
			for rows.Next() {
				var a int64
				if err := rows.Scan(&a); err != nil {
					rows.Close()
					return dbErr(err)
				}
				ids = append(ids, a)
			}
			rows.Close()
			for _, a := range ids {
				if _, err := tx.ExecContext(ctx, `UPDATE alerts SET listing_removed = ?, updated = ? WHERE id = ?`, timeText(now), timeText(now), a); err != nil {
					return dbErr(err)
				}
				if err := s.addHistory(ctx, tx, a, now, actor, "listing_removed", "", "", fmt.Sprintf("%s left its list (run %s)", id, run)); err != nil {
					return err
				}
				c.act(actor, "alert.listing_removed", fmt.Sprintf("alert:%d", a), map[string]any{"entity_id": id, "run": run})
				annotated = append(annotated, a)
			}
		}
		return nil
	})
	return annotated, err
}

// Fingerprints returns the EntityFingerprint of every listing a result
// matched, read from the store snapshots the result names. A listing that
// can't be read is an error: without its fingerprint a decision on it
// could never be checked against a later change.
func Fingerprints(ctx context.Context, lr ListingReader, res lexscreen.Result) (map[string]string, error) {
	out := map[string]string{}
	for _, m := range res.Matches {
		src, _, _ := strings.Cut(m.Entity.ID, ":")
		var snap int64
		for _, l := range res.Lists {
			if l.Source == src {
				snap = l.Snapshot
			}
		}
		if snap == 0 {
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the listing %s matched comes from no store snapshot the result names: cannot fingerprint it", m.Entity.ID)
		}
		_, fp, err := readListing(ctx, lr, m.Entity.ID, snap)
		if err != nil {
			return nil, err
		}
		out[m.Entity.ID] = fp
	}
	return out, nil
}
