package ingest

import (
	"io"
	"os"
	"time"

	"github.com/lexscreen/lexscreen/source"
)

func modTime(path string) time.Time {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

// countingFiles wraps each file so that reads are reported to onRead.
func countingFiles(files []source.File, onRead func(int)) []source.File {
	out := make([]source.File, len(files))
	for i, f := range files {
		open := f.Open
		f.Open = func() (io.ReadCloser, error) {
			r, err := open()
			if err != nil {
				return nil, err
			}
			return &countingReader{r, onRead}, nil
		}
		out[i] = f
	}
	return out
}

type countingReader struct {
	io.ReadCloser
	onRead func(int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if n > 0 {
		c.onRead(n)
	}
	return n, err
}
