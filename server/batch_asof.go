package server

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/lexscreen/lexscreen"
)

// maxBatchDates is how many different past dates one batch may screen
// against: each needs an index of the lists in force that day (the server
// keeps the last few), so a batch of many dates would rebuild them in turn.
const maxBatchDates = 4

// batchItem is one query line of a batch: what was read, and its answer.
type batchItem struct {
	line int
	id   string
	prep Prepared
	err  error  // why the line can't be screened (answered as a BatchError)
	res  []byte // the Result, as JSON
}

// screenBatchChunk screens the lines of one chunk of a batch that could be
// prepared, each against the lists in force on its date: the current index
// for today's or no date (or current_lists), else the lists of that past
// day, as POST /v1/screen does. The lines of one date are screened and
// recorded together. A line whose lists can't be had, or past the
// maxBatchDates-th past date of the batch (dates counts them), gets its own
// error; the error returned (the time ran out, the audit chain failed) ends
// the stream.
func (s *Server) screenBatchChunk(ctx context.Context, r *http.Request, cur *Index, chunk []batchItem, dates map[string]bool) error {
	var order []string
	groups := map[string][]int{}
	for i := range chunk {
		it := &chunk[i]
		if it.err != nil {
			continue
		}
		key := ""
		if !it.prep.AsOf.IsZero() {
			key = it.prep.AsOf.Format("2006-01-02")
			if !dates[key] && len(dates) >= maxBatchDates {
				it.err = lexscreen.Errorf(lexscreen.EINVALID, "date %s: a batch screens against the lists of at most %d past dates; split the batch by date, or set current_lists", key, maxBatchDates)
				continue
			}
			dates[key] = true
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range order {
		idx := groups[key]
		ix := cur
		if key != "" {
			var err error
			if ix, err = s.indexAt(ctx, chunk[idx[0]].prep.AsOf); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				for _, i := range idx {
					chunk[i].err = err
				}
				continue
			}
		}
		preps := make([]Prepared, len(idx))
		for k, i := range idx {
			preps[k] = chunk[i].prep
		}
		done, err := s.screen(ctx, r, "batch", ix, preps, true)
		if err != nil {
			return err
		}
		for k, i := range idx {
			if done[k].err != nil {
				chunk[i].err = done[k].err
			} else {
				chunk[i].res = done[k].json
			}
		}
	}
	return nil
}

// answer is the batch's answer line for the item: its Result or a BatchError.
func (it batchItem) answer() []byte {
	if it.err == nil {
		return it.res
	}
	status, d := errorOf(it.err)
	if status >= 500 {
		d.Message = "this line could not be screened: " + d.Message
	}
	b, _ := json.Marshal(BatchError{ID: it.id, Line: it.line, Error: d})
	return b
}
