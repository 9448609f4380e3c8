package distributed

import (
	"strconv"
	"testing"
)

// For the external tests (package distributed_test), which may import
// packages that import this one (monitor).

// RegisterTestScreen makes a ScreenFunc available to test worker
// processes by name (StartTestWorker's screen).
func RegisterTestScreen(name string, make func() ScreenFunc) { testScreens[name] = make }

// TestWorker is a worker process: the test binary run again.
type TestWorker = workerProc

// StartTestWorker starts a worker process on the NATS server at url and
// the results store dsn, screening with the registered screen; dieAfter >
// 0 makes it kill itself (SIGKILL) after storing that many chunks, before
// acking the last; env is added to its environment.
func StartTestWorker(t *testing.T, url, dsn, screen string, dieAfter int, env ...string) *TestWorker {
	env = append(env, envScreen+"="+screen)
	if dieAfter > 0 {
		env = append(env, envDieAfter+"="+strconv.Itoa(dieAfter))
	}
	return startWorker(t, url, dsn, env...)
}

// Kill kills the worker with SIGKILL.
func (p *workerProc) Kill() { p.cmd.Process.Kill() }

// Wait waits for the worker to end and returns how.
func (p *workerProc) Wait() error { return p.cmd.Wait() }

// Stop ends the worker with SIGTERM and returns its counts.
func (p *workerProc) Stop(t *testing.T) (chunks, rows, already, redelivered int) { return p.stop(t) }

// NATSForTest is testNATS.
func NATSForTest(t *testing.T) string { return testNATS(t) }
