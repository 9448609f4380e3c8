package main

import "testing"

func TestServeProcs(t *testing.T) {
	for _, c := range []struct {
		name                string
		flag                int
		env                 string
		current, cpus, want int
	}{
		{"default on a 2-core machine: one more", 0, "", 2, 2, 3},
		{"default on 16 cores", 0, "", 16, 16, 17},
		{"--procs wins", 4, "", 2, 2, 4},
		{"--procs wins over the variable", 2, "8", 8, 2, 2},
		{"GOMAXPROCS set: kept", 0, "2", 2, 2, 0},
		{"a container's CPU limit (Go chose fewer than the CPUs): kept", 0, "", 2, 8, 0},
	} {
		if got := serveProcs(c.flag, c.env, c.current, c.cpus); got != c.want {
			t.Errorf("%s: serveProcs(%d, %q, %d, %d) = %d, want %d", c.name, c.flag, c.env, c.current, c.cpus, got, c.want)
		}
	}
}
