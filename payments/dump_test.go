package payments

import (
	"encoding/json"
	"io"
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	fh, _ := os.Open(f)
	r, _ := NewReader(f, fh)
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Log(err)
			continue
		}
		b, _ := json.Marshal(m)
		t.Log(string(b))
	}
}
