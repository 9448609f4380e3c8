package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// serveReady starts `lexscreen --data-dir data serve` (the binary at
// exe) on a free port and measures the time until /readyz answers 200
// (the index loaded, the store answering), its CPU time and peak RSS then
// (Linux /proc); the server is stopped after.
func serveReady(exe, data string) (measure, error) {
	cmd := exec.Command(exe, "--data-dir", data, "serve", "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return measure{}, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measure{}, err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	// The server logs its address as JSON: {"msg":"listening","addr":...}.
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if !sent && json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addrc <- line.Addr
				sent = true
			}
		}
		if !sent {
			close(addrc)
		}
	}()
	var addr string
	select {
	case a, ok := <-addrc:
		if !ok {
			return measure{}, fmt.Errorf("%s serve exited without listening", exe)
		}
		addr = a
	case <-time.After(5 * time.Minute):
		return measure{}, fmt.Errorf("%s serve did not listen within 5 minutes", exe)
	}
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 5*time.Minute {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				wall := time.Since(start).Seconds()
				cpu, mib := procUsage(cmd.Process.Pid)
				return measure{wall, cpu, mib}, nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return measure{}, fmt.Errorf("%s serve not ready within 5 minutes", exe)
}

// procUsage returns a running process's CPU seconds and peak RSS in MiB
// from /proc (zeros where there is no /proc).
func procUsage(pid int) (cpu, mib float64) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// Fields after the command's closing parenthesis: utime and stime
		// are the 12th and 13th, in clock ticks (100 a second on Linux).
		if i := strings.LastIndexByte(string(b), ')'); i > 0 {
			f := strings.Fields(string(b[i+1:]))
			if len(f) > 12 {
				var ut, st float64
				fmt.Sscan(f[11], &ut)
				fmt.Sscan(f[12], &st)
				cpu = (ut + st) / 100
			}
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				var kib float64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kib)
				mib = kib / 1024
			}
		}
	}
	return cpu, mib
}
