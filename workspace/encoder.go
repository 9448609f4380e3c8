package workspace

import "github.com/lexscreen/lexscreen/audit"

// encoder encodes audit records (audit.Encode: JSON, compression, list
// set hash) on a goroutine of its own while the group commit runs the next
// writes: encoding a group's records took as much of the single writer's
// time as running its SQL, and every write queued waits for the writer.
type encoder struct {
	jobs chan []*audit.Record
	done chan struct{}
	err  error
}

// startEncoder starts an encoder; wait stops it.
func startEncoder() *encoder {
	jobs := make(chan []*audit.Record, 64)
	e := &encoder{jobs: jobs, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		for recs := range jobs {
			if e.err == nil {
				e.err = audit.Encode(recs...)
			}
		}
	}()
	return e
}

// encode queues recs; they must not change until wait returns.
func (e *encoder) encode(recs []*audit.Record) {
	if len(recs) > 0 {
		e.jobs <- recs
	}
}

// wait returns once every record queued is encoded, with the first error.
// It may be called again (it then returns the same).
func (e *encoder) wait() error {
	if e.jobs != nil {
		close(e.jobs)
		e.jobs = nil
	}
	<-e.done
	return e.err
}
