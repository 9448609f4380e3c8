package audit

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/lexscreen/lexscreen"
)

// recordColumns are the columns scanRaw reads.
const recordColumns = `id, time, kind, key_id, format, list_set, content, prev_hash, hash`

// rawRecord is a row of the records table as stored.
type rawRecord struct {
	r       Record
	tm      string
	format  int
	set     sql.NullString
	content []byte
}

func scanRaw(rows interface{ Scan(...any) error }) (*rawRecord, error) {
	var w rawRecord
	err := rows.Scan(&w.r.ID, &w.tm, &w.r.Kind, &w.r.KeyID, &w.format, &w.set, &w.content, &w.r.PrevHash, &w.r.Hash)
	return &w, err
}

// decode reads a stored record (its list set from the database, so not
// while a query holds a connection).
func (d *DB) decode(ctx context.Context, w *rawRecord) (*Record, error) {
	r := &w.r
	prev, hash := r.PrevHash, r.Hash
	switch w.format {
	case format1:
		if err := json.Unmarshal(w.content, r); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d is not valid JSON: %v", r.ID, err)
		}
	case format2:
		ls, err := d.listSet(ctx, w.set.String)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d: %v", r.ID, err)
		}
		if err := r.decode2(w.content, ls); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d: %v", r.ID, err)
		}
		r.ListSet = w.set.String
		if err := r.Time.UnmarshalText([]byte(w.tm)); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d: its time %q: %v", r.ID, w.tm, err)
		}
	default:
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d has an unknown format %d", r.ID, w.format)
	}
	r.PrevHash, r.Hash = prev, hash
	return r, nil
}

// listSet returns a stored list set, from the cache when read before.
func (d *DB) listSet(ctx context.Context, hash string) (*listSet, error) {
	d.setsMu.Lock()
	ls := d.sets[hash]
	d.setsMu.Unlock()
	if ls != nil {
		return ls, nil
	}
	var content string
	err := d.db.QueryRowContext(ctx, d.q(`SELECT content FROM list_sets WHERE hash = ?`), hash).Scan(&content)
	if err == sql.ErrNoRows {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "its list set %.12s… is missing", hash)
	}
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	ls = &listSet{}
	if err := json.Unmarshal([]byte(content), ls); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "its list set %.12s… is not valid JSON: %v", hash, err)
	}
	d.setsMu.Lock()
	if len(d.sets) > 1000 {
		clear(d.sets)
	}
	d.sets[hash] = ls
	d.setsMu.Unlock()
	return ls, nil
}

// Get returns one record.
func (d *DB) Get(ctx context.Context, id int64) (*Record, error) {
	w, err := scanRaw(d.db.QueryRowContext(ctx, d.q(`SELECT `+recordColumns+` FROM records WHERE id = ?`), id))
	if err == sql.ErrNoRows {
		return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no audit record %d", id)
	}
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	return d.decode(ctx, w)
}

// List returns up to limit records with an id above after, oldest first.
func (d *DB) List(ctx context.Context, after int64, limit int) ([]*Record, error) {
	rows, err := d.db.QueryContext(ctx, d.q(`SELECT `+recordColumns+` FROM records WHERE id > ? ORDER BY id LIMIT ?`), after, limit)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	var raws []*rawRecord
	for rows.Next() {
		w, err := scanRaw(rows)
		if err != nil {
			rows.Close()
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
		}
		raws = append(raws, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	out := make([]*Record, 0, len(raws))
	for _, w := range raws {
		r, err := d.decode(ctx, w)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Count returns the number of records.
func (d *DB) Count(ctx context.Context) (int64, error) {
	var n int64
	err := d.db.QueryRowContext(ctx, d.q(`SELECT count(*) FROM records`)).Scan(&n)
	return n, err
}
