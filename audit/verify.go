package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Problem is one break in the chain found by Verify: record ID (to To,
// for a range of deleted records), or ID 0 for the checkpoints file.
type Problem struct {
	ID     int64  `json:"id"`
	To     int64  `json:"to,omitempty"`
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	switch {
	case p.ID == 0:
		return p.Reason
	case p.To > p.ID:
		return fmt.Sprintf("records %d to %d: %s", p.ID, p.To, p.Reason)
	}
	return fmt.Sprintf("record %d: %s", p.ID, p.Reason)
}

// Report is the outcome of Verify.
type Report struct {
	Records int64 `json:"records"`
	LastID  int64 `json:"last_id"`
	OK      bool  `json:"ok"`
	// Problems are the first problems found (VerifyOptions.MaxProblems);
	// ProblemCount counts them all (a range of deleted records is one).
	Problems     []Problem `json:"problems"`
	ProblemCount int64     `json:"problem_count"`
	// Checkpoints is how many signed checkpoints were checked, and
	// CheckpointSize the largest: records up to it are proven complete and
	// unaltered (if OK). Unprotected is the records after it, which a
	// checkpoint does not cover yet.
	Checkpoints    int      `json:"checkpoints"`
	CheckpointSize int64    `json:"checkpoint_size"`
	Unprotected    int64    `json:"unprotected"`
	Notes          []string `json:"notes"`
}

// VerifyOptions are the choices of VerifyWith.
type VerifyOptions struct {
	// MaxProblems is how many problems the report lists (default 20); all
	// are counted.
	MaxProblems int
	// CheckpointFile and Verifier: the signed checkpoints to check the
	// chain against. Without them, the DB's own (OpenWith's
	// CheckpointOptions), if any.
	CheckpointFile string
	Verifier       *Verifier
	// Progress, if set, is called now and then with the records checked
	// and the records there are.
	Progress func(checked, total int64)
}

// Verify is VerifyWith with the default options.
func (d *DB) Verify(ctx context.Context) (Report, error) { return d.VerifyWith(ctx, VerifyOptions{}) }

// VerifyWith walks the whole chain, one record at a time (in memory
// bounded by the largest record, whatever the number of records or
// problems), and reports records altered, deleted or inserted out of
// order; with signed checkpoints, also a cut tail and a recomputed chain.
func (d *DB) VerifyWith(ctx context.Context, o VerifyOptions) (Report, error) {
	rep := Report{Problems: []Problem{}, Notes: []string{}}
	if o.MaxProblems <= 0 {
		o.MaxProblems = 20
	}
	add := func(id, to int64, format string, args ...any) {
		rep.ProblemCount++
		if len(rep.Problems) < o.MaxProblems {
			rep.Problems = append(rep.Problems, Problem{ID: id, To: to, Reason: fmt.Sprintf(format, args...)})
		}
	}
	if o.Verifier == nil && d.cp != nil {
		o.Verifier, o.CheckpointFile = d.cp.o.Signer.Verifier(), d.cp.o.File
	}
	var cps []Checkpoint
	if o.Verifier != nil && o.CheckpointFile != "" {
		f, err := os.Open(o.CheckpointFile)
		if err != nil {
			return rep, lexscreen.Errorf(lexscreen.EINVALID, "checkpoints %s: %v", o.CheckpointFile, err)
		}
		var bad []string
		cps, bad, err = ReadCheckpoints(f, o.Verifier)
		f.Close()
		if err != nil {
			return rep, lexscreen.Errorf(lexscreen.EINVALID, "checkpoints %s: %v", o.CheckpointFile, err)
		}
		for _, b := range bad {
			add(0, 0, "%s: %s", o.CheckpointFile, b)
		}
		slices.SortStableFunc(cps, func(a, b Checkpoint) int { return cmpInt(a.Size, b.Size) })
		// Two signed checkpoints of one size with different hashes: the
		// key signed two histories.
		out := cps[:0]
		for _, cp := range cps {
			if n := len(out); n > 0 && out[n-1].Size == cp.Size {
				if out[n-1].Hash != cp.Hash {
					add(0, 0, "%s: two signed checkpoints of size %d disagree (%.12s…, %.12s…): the key signed two histories", o.CheckpointFile, cp.Size, out[n-1].Hash, cp.Hash)
				}
				continue
			}
			if cp.Size > 0 {
				out = append(out, cp)
			}
		}
		cps = out
		rep.Checkpoints = len(cps)
		if len(cps) == 0 {
			rep.Notes = append(rep.Notes, "the checkpoints file holds no checkpoint signed by "+o.Verifier.String())
		}
	} else {
		rep.Notes = append(rep.Notes, "no signed checkpoint checked (--checkpoint): a cut tail or a chain recomputed from an altered record would not be detected")
	}

	sets, err := d.verifyListSets(ctx, add)
	if err != nil {
		return rep, err
	}
	var missingSets []string

	// One statement, so the chain head is read in the same snapshot as the records.
	rows, err := d.db.QueryContext(ctx, d.q(`SELECT id, time, kind, key_id, format, list_set, content, prev_hash, hash,
		(SELECT last_id FROM chain_head WHERE one = 1), (SELECT hash FROM chain_head WHERE one = 1)
		FROM records ORDER BY id`))
	if err != nil {
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	defer rows.Close()
	var lastID int64
	prev := ""
	var headID sql.NullInt64
	var headHash sql.NullString
	next := 0 // the next checkpoint to meet
	var v1 struct {
		ID    int64     `json:"id"`
		Time  time.Time `json:"time"`
		Kind  string    `json:"kind"`
		KeyID string    `json:"key_id"`
	}
	var hb [160]byte
	for rows.Next() {
		var id int64
		var format int
		var tm, kind, keyID, prevHash, hash string
		var set sql.NullString
		var content sql.RawBytes
		if err := rows.Scan(&id, &tm, &kind, &keyID, &format, &set, &content, &prevHash, &hash, &headID, &headHash); err != nil {
			return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
		}
		rep.Records++
		if rep.Records%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			if o.Progress != nil {
				o.Progress(rep.Records, headID.Int64)
			}
		}
		if id > lastID+1 {
			add(lastID+1, id-1, "deleted: the chain goes from record %d to record %d", lastID, id)
		}
		for next < len(cps) && cps[next].Size < id {
			add(cps[next].Size, 0, "deleted: a signed checkpoint covers this record (size %d)", cps[next].Size)
			next++
		}
		if prevHash != prev {
			add(id, 0, "its previous-hash does not match the hash of the record before it (a record before it was altered, deleted or inserted)")
		}
		switch format {
		case format1:
			if got := chainHash(prevHash, content); got != hash {
				add(id, 0, "altered: its content does not match its hash (stored %.12s…, computed %.12s…)", hash, got)
			}
			v1.ID, v1.Time, v1.Kind, v1.KeyID = 0, time.Time{}, "", ""
			if err := json.Unmarshal(content, &v1); err != nil {
				add(id, 0, "altered: its content is not valid JSON")
			} else if v1.ID != id || v1.Kind != kind || v1.KeyID != keyID || timeText(v1.Time) != tm {
				add(id, 0, "altered: its id, time, kind or key columns disagree with its hashed content")
			}
		case format2:
			h := sha256.New()
			h.Write([]byte(prevHash))
			h.Write([]byte{'\n'})
			h.Write(header(hb[:0], id, tm, kind, keyID, set.String))
			h.Write(content)
			var sum [sha256.Size]byte
			if got := hex.EncodeToString(h.Sum(sum[:0])); got != hash {
				add(id, 0, "altered: its content or columns do not match its hash (stored %.12s…, computed %.12s…)", hash, got)
			}
			if !sets[set.String] && !slices.Contains(missingSets, set.String) && len(missingSets) < 1000 {
				missingSets = append(missingSets, set.String) // perhaps added since; checked below
			}
		default:
			add(id, 0, "altered: unknown format %d", format)
		}
		if next < len(cps) && cps[next].Size == id {
			if cps[next].Hash != hash {
				add(id, 0, "its hash differs from the signed checkpoint of size %d (%.12s…, signed %.12s…): records up to it were altered or removed, or the chain was recomputed", id, hash, cps[next].Hash)
			}
			rep.CheckpointSize = id
			next++
		}
		prev, lastID = hash, id
	}
	if err := rows.Err(); err != nil {
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	rows.Close()
	if rep.Records == 0 {
		switch err := d.db.QueryRowContext(ctx, d.q(`SELECT last_id, hash FROM chain_head WHERE one = 1`)).Scan(&headID, &headHash); err {
		case nil, sql.ErrNoRows:
		default:
			return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
		}
	}
	if next < len(cps) {
		last := cps[len(cps)-1]
		add(lastID+1, last.Size, "deleted: a signed checkpoint says the log had %d records, the chain ends at record %d (its tail was cut)", last.Size, lastID)
	}
	switch {
	case !headID.Valid:
		if lastID != 0 {
			add(lastID, 0, "the chain head is missing")
		}
	case headID.Int64 > lastID:
		add(lastID+1, headID.Int64, "deleted: the chain head says the last record is %d", headID.Int64)
	case headID.Int64 != lastID || headHash.String != prev:
		add(lastID, 0, "the chain head (record %d) does not match the last record", headID.Int64)
	}
	for _, h := range missingSets {
		if ok, err := d.verifyListSet(ctx, h); err != nil {
			return rep, err
		} else if !ok {
			add(0, 0, "list set %.12s… is missing or altered: the list versions of the records using it cannot be shown", h)
		}
	}
	if o.Progress != nil {
		o.Progress(rep.Records, max(headID.Int64, rep.Records))
	}
	rep.LastID = lastID
	if len(cps) > 0 {
		rep.Unprotected = max(0, lastID-rep.CheckpointSize)
	} else {
		rep.Unprotected = lastID
	}
	rep.OK = rep.ProblemCount == 0
	return rep, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// verifyListSets checks that each stored list set hashes to its key and
// returns those that do (bounded: past a million, the rest are checked
// one by one when a record uses them).
func (d *DB) verifyListSets(ctx context.Context, add func(id, to int64, format string, args ...any)) (map[string]bool, error) {
	ok := map[string]bool{}
	rows, err := d.db.QueryContext(ctx, d.q(`SELECT hash, content FROM list_sets`))
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var hash string
		var content sql.RawBytes
		if err := rows.Scan(&hash, &content); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
		}
		sum := sha256.Sum256(content)
		if hex.EncodeToString(sum[:]) != hash {
			add(0, 0, "list set %.12s…: altered (its content does not match its hash)", hash)
		} else if len(ok) < 1<<20 {
			ok[hash] = true
		}
	}
	return ok, rows.Err()
}

// verifyListSet says whether one list set is stored and unaltered.
func (d *DB) verifyListSet(ctx context.Context, hash string) (bool, error) {
	var content []byte
	err := d.db.QueryRowContext(ctx, d.q(`SELECT content FROM list_sets WHERE hash = ?`), hash).Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:]) == hash, nil
}
