package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
)

// BookIndex is an index of a book for reverse screening: every key by
// which screening a subject could retrieve a listed entity
// (match.RetrievalKeys) with the subjects that hold it. The keys depend on
// the subjects alone, so the index serves every version of the lists.
type BookIndex struct {
	subjects    []lexscreen.Subject // in book (id) order; postings hold positions
	words       []uint8             // by subject: match.NameWords of its name (at most 255)
	keys        map[match.RetrievalKey]uint32
	keyList     []match.RetrievalKey
	postings    [][]uint32 // by key: positions of the subjects holding it, ascending
	fingerprint string     // of the subjects' ids and fingerprints, in order
	// keyed: the retrieval keys were built (BuildIndex); a book read
	// with LoadSubjects holds only its subjects, which a full run needs.
	keyed bool
	// Unindexed are the subjects that could not be indexed (nothing to
	// screen on): counted and reported, never silently skipped.
	Unindexed []BookError
}

// indexBatch is how many subjects are keyed in parallel before their keys
// are merged into the index.
const indexBatch = 8192

// BuildIndex indexes every subject of book, keying them on workers
// goroutines (0: one per core). A delta run needs it.
func BuildIndex(ctx context.Context, book Book, workers int) (*BookIndex, error) {
	return readBook(ctx, book, workers, true)
}

// LoadSubjects reads the subjects of book, in order, without keying them: all
// that a full re-screen needs, in a fraction of BuildIndex's time and
// memory. A delta run refuses it.
func LoadSubjects(ctx context.Context, book Book) (*BookIndex, error) {
	return readBook(ctx, book, 1, false)
}

// Keyed reports whether the book was indexed for reverse retrieval
// (BuildIndex), as a delta run needs.
func (bi *BookIndex) Keyed() bool { return bi.keyed }

func readBook(ctx context.Context, book Book, workers int, keyed bool) (*BookIndex, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	bi := &BookIndex{keys: map[match.RetrievalKey]uint32{}, keyed: keyed}
	bookHash := sha256.New()
	batch := make([]lexscreen.Subject, 0, indexBatch)
	flush := func() {
		if !keyed {
			bi.subjects = append(bi.subjects, batch...)
			batch = batch[:0]
			return
		}
		keys := make([][]match.RetrievalKey, len(batch))
		words := make([]uint8, len(batch))
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(batch); i += workers {
					keys[i], errs[i] = match.RetrievalKeys(batch[i].Query)
					words[i] = uint8(min(255, match.NameWords(batch[i].Query)))
				}
			}()
		}
		wg.Wait()
		for i, s := range batch {
			pos := uint32(len(bi.subjects))
			bi.subjects = append(bi.subjects, s)
			bi.words = append(bi.words, words[i])
			if errs[i] != nil {
				bi.Unindexed = append(bi.Unindexed, BookError{ID: s.ID, Message: errs[i].Error()})
				continue
			}
			for _, k := range keys[i] {
				id, ok := bi.keys[k]
				if !ok {
					id = uint32(len(bi.keyList))
					bi.keys[k] = id
					bi.keyList = append(bi.keyList, k)
					bi.postings = append(bi.postings, nil)
				}
				bi.postings[id] = append(bi.postings[id], pos)
			}
		}
		batch = batch[:0]
	}
	err := book.Each(ctx, func(s lexscreen.Subject) error {
		if s.Fingerprint == "" {
			s.Fingerprint = lexscreen.SubjectFingerprint(s.Query)
		}
		fmt.Fprintf(bookHash, "%s\x00%s\x00%s\n", s.ID, s.Fingerprint, s.Operator)
		batch = append(batch, s)
		if len(batch) == indexBatch {
			flush()
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	flush()
	bi.fingerprint = hex.EncodeToString(bookHash.Sum(nil))
	// Postings grew by appending: give back the spare capacity.
	for i, p := range bi.postings {
		if cap(p) > len(p) {
			bi.postings[i] = append([]uint32(nil), p...)
		}
	}
	return bi, nil
}

// Fingerprint is a hash of the book's subjects (ids, fingerprints and operators, in
// order): a run resumes only on the book it started with.
func (bi *BookIndex) Fingerprint() string { return bi.fingerprint }

// Len returns the number of subjects in the index.
func (bi *BookIndex) Len() int { return len(bi.subjects) }

// Keys returns the number of distinct keys.
func (bi *BookIndex) Keys() int { return len(bi.keyList) }

// Subject returns the subject at position i (book order).
func (bi *BookIndex) Subject(i int) lexscreen.Subject { return bi.subjects[i] }
