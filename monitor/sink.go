package monitor

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/lexscreen/lexscreen"
)

// pairKey names one (run, subject, entity) finding, or one removal
// (subject empty).
type pairKey struct{ run, subject, entity string }

// MemSink is a Sink that keeps what it is told in memory. It is
// idempotent as the Sink contract asks, and counts the deliveries it
// ignored as repeats.
type MemSink struct {
	mu       sync.Mutex
	seen     map[pairKey]bool
	Results  []SubjectResult // each with only the matches not seen before in its run
	Removals map[string][]string
	Repeats  int // (run, subject, entity) pairs delivered again and ignored
}

// NewMemSink returns an empty MemSink.
func NewMemSink() *MemSink {
	return &MemSink{seen: map[pairKey]bool{}, Removals: map[string][]string{}}
}

// Found keeps the results' matches not yet seen in run.
func (s *MemSink) Found(_ context.Context, run string, results []SubjectResult) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range results {
		if r2, ok := s.fresh(run, r); ok {
			s.Results = append(s.Results, r2)
		}
	}
	return nil
}

// fresh returns r with only the matches not yet seen in run, marking them
// seen; ok is false when none is new.
func (s *MemSink) fresh(run string, r SubjectResult) (SubjectResult, bool) {
	var ms []lexscreen.Match
	for _, m := range r.Result.Matches {
		k := pairKey{run, r.Subject.ID, m.Entity.ID}
		if s.seen[k] {
			s.Repeats++
			continue
		}
		s.seen[k] = true
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return SubjectResult{}, false
	}
	r.Result.Matches = ms
	return r, true
}

// Removed keeps the entity ids not yet noted in run.
func (s *MemSink) Removed(_ context.Context, run string, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		k := pairKey{run, "", id}
		if s.seen[k] {
			s.Repeats++
			continue
		}
		s.seen[k] = true
		s.Removals[run] = append(s.Removals[run], id)
	}
	return nil
}

// Pairs returns the number of (subject, entity) pairs found in run.
func (s *MemSink) Pairs(run string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.Results {
		n += len(r.Result.Matches)
	}
	return n
}

// Finding is one line of a JSONLSink file: a subject that matched (Kind
// "found": its result holds the matches new to the run), or a listed
// entity removed from its list (Kind "removed").
type Finding struct {
	Run                string             `json:"run"`
	Kind               string             `json:"kind"` // "found" or "removed"
	Subject            *lexscreen.Subject `json:"subject,omitempty"`
	Result             *lexscreen.Result  `json:"result,omitempty"`
	EntityFingerprints map[string]string  `json:"entity_fingerprints,omitempty"`
	EntityID           string             `json:"entity_id,omitempty"`
}

// JSONLSink is a Sink that appends findings to a file as JSON lines,
// synced before Found or Removed returns. Opening it reads the findings
// already in the file, so that a run resumed after a crash does not write
// a pair twice; a last line cut short by the crash is dropped.
type JSONLSink struct {
	mu   sync.Mutex
	f    *os.File
	mem  *MemSink
	Kept int // findings read back from the file when it was opened
}

// OpenJSONLSink opens (creating if need be) the findings file at path.
func OpenJSONLSink(path string) (*JSONLSink, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the findings file: %w", err)
	}
	s := &JSONLSink{f: f, mem: NewMemSink()}
	if err := s.load(); err != nil {
		f.Close()
		return nil, fmt.Errorf("reading the findings already in %s: %w", path, err)
	}
	return s, nil
}

// load reads the findings in the file into the dedup set and cuts off a
// torn last line.
func (s *JSONLSink) load() error {
	data, err := io.ReadAll(s.f)
	if err != nil {
		return err
	}
	good := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var fd Finding
		if err := json.Unmarshal(line, &fd); err != nil {
			break // a line cut short: everything after it is dropped
		}
		good += len(line) + 1
		if good > len(data) {
			good = len(data) // last line without its newline
		}
		switch fd.Kind {
		case "found":
			if fd.Subject != nil && fd.Result != nil {
				s.mem.fresh(fd.Run, SubjectResult{Subject: *fd.Subject, Result: *fd.Result})
			}
		case "removed":
			s.mem.seen[pairKey{fd.Run, "", fd.EntityID}] = true
		}
		s.Kept++
	}
	if good < len(data) {
		if err := s.f.Truncate(int64(good)); err != nil {
			return err
		}
	}
	_, err = s.f.Seek(int64(good), io.SeekStart)
	return err
}

// Found appends a line for each result with matches new to run.
func (s *JSONLSink) Found(_ context.Context, run string, results []SubjectResult) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	s.mem.mu.Lock()
	for _, r := range results {
		if r2, ok := s.mem.fresh(run, r); ok {
			if err := enc.Encode(Finding{Run: run, Kind: "found", Subject: &r2.Subject, Result: &r2.Result,
				EntityFingerprints: r2.EntityFingerprints}); err != nil {
				s.mem.mu.Unlock()
				return err
			}
		}
	}
	s.mem.mu.Unlock()
	return s.write(buf.Bytes())
}

// Removed appends a line for each entity not yet noted in run.
func (s *JSONLSink) Removed(_ context.Context, run string, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	s.mem.mu.Lock()
	for _, id := range ids {
		k := pairKey{run, "", id}
		if s.mem.seen[k] {
			continue
		}
		s.mem.seen[k] = true
		enc.Encode(Finding{Run: run, Kind: "removed", EntityID: id})
	}
	s.mem.mu.Unlock()
	return s.write(buf.Bytes())
}

func (s *JSONLSink) write(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if _, err := s.f.Write(b); err != nil {
		return fmt.Errorf("writing findings: %w", err)
	}
	return s.f.Sync()
}

// Close closes the file.
func (s *JSONLSink) Close() error { return s.f.Close() }
