package main

import (
	"bytes"
	"encoding/json"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
	"github.com/lexscreen/lexscreen/screening"
)

// rowOutcome is a batch row's output line (newline included) and what it
// says.
type rowOutcome struct {
	line           []byte
	hit, bad, warn bool
}

// screenRow screens one row of a batch input: the code `batch` and a
// distributed `worker` share, so both write the same line for a row. schema
// is --type, for rows that give none; input names the file in error lines.
func screenRow(s *screening.Screener, r batchfile.Row, schema string, opts screening.Options, input string) rowOutcome {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	var res rowOutcome
	if r.Err == nil {
		q := r.Query
		if q.Schema == "" && schema != "" {
			q.Schema = lexscreen.ParseSchema(schema)
		}
		out, err := s.Screen(q, opts)
		if err != nil {
			r.Err = asAppError(err)
			if r.Err.Line == 0 {
				r.Err.File, r.Err.Line = input, r.Line
			}
		} else {
			enc.Encode(batchResult{Row: r.Seq, Result: out})
			res.hit = len(out.Matches) > 0
			res.warn = len(out.Warnings) > 0
		}
	}
	if r.Err != nil {
		buf.Reset()
		enc.Encode(batchError{Row: r.Seq, ID: r.Query.ID, Line: r.Line, Error: r.Err})
		res.bad = true
	}
	res.line = buf.Bytes()
	return res
}
