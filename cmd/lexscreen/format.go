package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// newBar returns a progress bar on stderr for work of the given size in
// bytes, or nil when stderr is not a terminal or output must stay quiet.
func (a *app) newBar(size int64, desc string) *progressbar.ProgressBar {
	if a.quiet || a.json || size <= 0 {
		return nil
	}
	f, ok := a.errOut.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(a.errOut),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
}

// newCountBar is newBar for counted items rather than bytes.
func (a *app) newCountBar(n int64, desc string) *progressbar.ProgressBar {
	if a.quiet || a.json || n <= 0 {
		return nil
	}
	f, ok := a.errOut.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(n, progressbar.OptionSetWriter(a.errOut), progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish())
}

func shortPath(p string) string {
	if strings.HasPrefix(p, "bundled") || len(p) < 50 {
		return p
	}
	parts := strings.Split(filepath.ToSlash(p), "/")
	if len(parts) > 3 {
		parts = parts[len(parts)-3:]
	}
	return ".../" + strings.Join(parts, "/")
}

// thousands writes n with comma separators: 18494 -> "18,494".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// age says how old a publisher's date is, for humans: "340 days".
func age(published, now time.Time) string {
	if published.IsZero() {
		return "unknown"
	}
	d := int(now.Sub(published).Hours() / 24)
	switch {
	case d < 0:
		return "future"
	case d == 0:
		return "today"
	case d == 1:
		return "1 day"
	}
	return fmt.Sprintf("%s days", thousands(d))
}

// table writes rows as aligned columns.
func table(w io.Writer, header []string, rows [][]string) {
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = len([]rune(h))
	}
	for _, r := range rows {
		for i, c := range r {
			if n := len([]rune(c)); i < len(width) && n > width[i] {
				width[i] = n
			}
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			if i == len(cells)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
}
