package workspace

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// gatedStore is a list store whose Entity waits for gate and counts reads;
// the first fail reads fail.
type gatedStore struct {
	store.Store
	gate  chan struct{}
	reads atomic.Int64
	fail  int64
}

func (g *gatedStore) Entity(ctx context.Context, id string, snap int64) (*lexscreen.Entity, error) {
	n := g.reads.Add(1)
	<-g.gate
	if n <= g.fail {
		return nil, errors.New("read failed")
	}
	return &lexscreen.Entity{ID: id, Names: []lexscreen.Name{{Full: "Jane Doe"}}}, nil
}

// Screenings that want the same listing at once share one read of it; a
// failed read is shared by those waiting for it, and not kept: the next
// screening reads again.
func TestListingReadShared(t *testing.T) {
	for _, fail := range []int64{0, 1} {
		g := &gatedStore{gate: make(chan struct{}), fail: fail}
		var wg sync.WaitGroup
		var failed, ok atomic.Int64
		var fps sync.Map
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, fp, err := readListing(context.Background(), g, "us_ofac:1", 7)
				if err != nil {
					failed.Add(1)
					return
				}
				if e == nil || fp == "" {
					t.Error("a shared read gave no listing and no error")
				}
				fps.Store(fp, true)
				ok.Add(1)
			}()
		}
		// The first read is under way; let the others come to wait for it
		// (one that comes after it ended finds the listing kept, or reads
		// again after a failure: either way one read is all it may see).
		for g.reads.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		close(g.gate)
		wg.Wait()
		if fail == 0 && (g.reads.Load() != 1 || failed.Load() != 0 || ok.Load() != 50) {
			t.Errorf("50 screenings at once read the listing %d times (%d failed), want once", g.reads.Load(), failed.Load())
		}
		if fail == 1 {
			if failed.Load()+ok.Load() != 50 || failed.Load() == 0 || g.reads.Load() != 1+min(ok.Load(), 1) {
				t.Errorf("first read failing: %d failed, %d read, %d reads", failed.Load(), ok.Load(), g.reads.Load())
			}
			if _, _, err := readListing(context.Background(), g, "us_ofac:1", 7); err != nil {
				t.Errorf("after a failed read the next one failed too: %v", err)
			}
		}
		n := 0
		fps.Range(func(any, any) bool { n++; return true })
		if n > 1 {
			t.Errorf("%d fingerprints for one listing", n)
		}
	}
}
