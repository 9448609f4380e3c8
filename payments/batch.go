package payments

// Counts summarise a batch: payments read and screened, messages that
// could not be read, and the decisions.
type Counts struct {
	Payments   int              `json:"payments"`
	Unreadable int              `json:"unreadable"`
	Decisions  map[Decision]int `json:"decisions"`
	Pairs      int              `json:"pairs"` // cover payments paired with their customer transfer
}

// ScreenAll reads every payment of r and screens them on workers
// goroutines (0: one per core), returning the results in input order with
// cover payments paired (PairCovers) across the whole input. Each message
// that cannot be read is given to onError (may be nil) and counted; a
// fatal one ends the reading. It fails only on an error of screening
// itself. It holds every result: for large inputs use ScreenStream.
func (ps *Screener) ScreenAll(r Reader, opts Options, workers int, onError func(*ParseError)) ([]Result, Counts, error) {
	var results []Result
	c, err := ps.ScreenStream(r, opts, workers, 0, func(res Result) error {
		results = append(results, res)
		return nil
	}, onError)
	if err != nil {
		return nil, c, err
	}
	// The whole input is held anyway: pair covers further apart than the
	// stream's window too, and count the decisions after that.
	c.Pairs = PairCovers(results)
	c.Decisions = map[Decision]int{}
	for _, res := range results {
		c.Decisions[res.Decision]++
	}
	return results, c, nil
}

// PairCovers gives each cover payment (MT202COV, pacs.009COV) and the
// customer transfer it covers (MT103, pacs.008) found among results one
// decision, the stricter of the two: they are one payment. The cover's
// field 21 (related reference) names the MT103's field 20; the ISO pair
// shares a UETR (as does a gpi MT pair). It returns the pairs made.
func PairCovers(results []Result) int {
	byRef, byUETR := map[string]int{}, map[string]int{}
	for i, r := range results {
		m := r.Message
		if m == nil || m.Type != "MT103" && m.Type != "pacs.008" {
			continue
		}
		if m.Type == "MT103" {
			byRef[m.Reference] = i
		}
		if m.UETR != "" {
			byUETR[m.UETR] = i
		}
	}
	pairs := 0
	for i := range results {
		m := results[i].Message
		if m == nil || m.Type != "MT202COV" && m.Type != "pacs.009COV" {
			continue
		}
		j, ok := byUETR[m.UETR]
		if !ok || m.UETR == "" {
			j, ok = byRef[m.Related]
			if m.Related == "" {
				ok = false
			}
		}
		if !ok {
			continue
		}
		pairs++
		a, b := &results[i], &results[j]
		a.Pair, b.Pair = b.Message.Reference, a.Message.Reference
		switch {
		case a.Decision.rank() > b.Decision.rank():
			b.Decision, b.Reason = a.Decision, "its cover payment "+a.Message.Reference+": "+a.Reason
			b.Conflicts = appendConflicts(b.Conflicts, a.Conflicts...)
		case b.Decision.rank() > a.Decision.rank():
			a.Decision, a.Reason = b.Decision, "the customer transfer it covers, "+b.Message.Reference+": "+b.Reason
			a.Conflicts = appendConflicts(a.Conflicts, b.Conflicts...)
		}
	}
	return pairs
}
