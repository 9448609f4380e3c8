package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/lexscreen/lexscreen"
)

// frozen is the JSON an alert keeps of its subject, result and listing,
// made before the write: the writer runs the writes of a group one after
// the other while every other write waits, so what can be done before is
// not done there (marshalling the result took a third of an alert's time
// in the writer). One frozen serves every match of a result.
type frozen struct {
	subject, result string
	resultHash      string            // of result: its key in frozen_results
	listings        map[string]string // listed entity id -> JSON
}

// resultHash is the key of a result's JSON in frozen_results.
func resultHash(result string) string {
	sum := sha256.Sum256([]byte(result))
	return hex.EncodeToString(sum[:])
}

// freeze makes the JSON of sub (sr's subject, with its fingerprint), sr's
// result and the listings it matched.
func freeze(sub lexscreen.Subject, sr SubjectResult, listings map[string]*lexscreen.Entity) *frozen {
	fz := &frozen{subject: marshalText(sub), result: marshalText(sr.Result), listings: map[string]string{}}
	fz.resultHash = resultHash(fz.result)
	for _, m := range sr.Result.Matches {
		if e := listings[m.Entity.ID]; e != nil {
			if _, done := fz.listings[m.Entity.ID]; !done {
				fz.listings[m.Entity.ID] = marshalText(e)
			}
		}
	}
	return fz
}

// json returns the JSON of sub, res (with its hash) and entity (nil when
// entity is): fz's when fz is not nil, else made now.
func (fz *frozen) json(sub lexscreen.Subject, res lexscreen.Result, entity *lexscreen.Entity) (subj, result, hash string, ent any) {
	if fz == nil {
		subj, result = marshalText(sub), marshalText(res)
		hash = resultHash(result)
	} else {
		subj, result, hash = fz.subject, fz.result, fz.resultHash
	}
	if entity != nil {
		if s, ok := fz.listing(entity.ID); ok {
			return subj, result, hash, s
		}
		return subj, result, hash, marshalText(entity)
	}
	return subj, result, hash, nil
}

// listing is the frozen JSON of listing id, if made.
func (fz *frozen) listing(id string) (string, bool) {
	if fz == nil {
		return "", false
	}
	s, ok := fz.listings[id]
	return s, ok
}

// marshalText is v's JSON as text (a TEXT column, not a BLOB).
func marshalText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
