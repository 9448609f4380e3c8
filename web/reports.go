package web

// The research pages (issue 14): an entity and its history, the changes of
// the lists, the exposure report of an operator with a what-if overlay, and
// ICC cooperation on a date. Each reads the JSON API in-process and renders
// everything on the server (charts and the map are SVG drawn here), so
// that the pages read the same without JavaScript.

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/server"
)

func init() {
	extraRoutes = append(extraRoutes, func(u *UI) []route {
		return []route{
			{"GET " + Prefix + "entity", u.withUser(u.handleEntityLookup)},
			{"GET " + Prefix + "entity/{id}", u.withUser(u.handleEntity)},
			{"GET " + Prefix + "changes", u.withUser(u.handleChanges)},
			{"GET " + Prefix + "exposure", u.withUser(u.handleExposure)},
			{"POST " + Prefix + "exposure/export", u.withUser(u.handleExposureExport)},
			{"GET " + Prefix + "icc", u.withUser(u.handleICC)},
		}
	})
	addNav("List changes", Prefix+"changes")
	addNav("Exposure", Prefix+"exposure")
	addNav("ICC", Prefix+"icc")
	addFunc("confClass", confClass)
	addFunc("unconfirmedTag", func(c string) bool { return c == "M" })
	addFunc("entityURL", func(id string) string { return Prefix + "entity/" + url.PathEscape(id) })
	addFunc("sectionTitle", sectionTitle)
	addFunc("statusTitle", iccStatusTitle)
	addFunc("inList", func(id string, ds []server.ProgramDesignation) bool {
		return slices.ContainsFunc(ds, func(d server.ProgramDesignation) bool { return d.EntityID == id })
	})
	addFunc("delta", func(a, b int) string { return fmt.Sprintf("%+d", a-b) })
	addFunc("firstItems", func(n int, items []regime.Item) []regime.Item { return items[:min(n, len(items))] })
}

// addFunc adds a template function of these pages; a name another file
// of the package already uses is a build error caught by every test (one
// page's function must never replace another's).
func addFunc(name string, f any) {
	if _, taken := funcs[name]; taken {
		panic("web: template function " + name + " is already defined")
	}
	funcs[name] = f
}

// confClass is the badge class of a confidence tag (style.css); NF, a fact
// searched for and not found, looks like an unconfirmed one.
func confClass(c string) string {
	switch c {
	case "V", "V-2nd", "D", "M":
		return "conf-" + c
	}
	return "conf-M"
}

// pageDate reads a YYYY-MM-DD date parameter; "" is today (UTC).
func pageDate(v string, now time.Time) (time.Time, string, error) {
	if strings.TrimSpace(v) == "" {
		d := now.UTC().Truncate(24 * time.Hour)
		return d, d.Format("2006-01-02"), nil
	}
	d, err := time.Parse("2006-01-02", strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, v, fmt.Errorf("the date %q can't be read: write it as YYYY-MM-DD, e.g. 2025-10-20", v)
	}
	return d, d.Format("2006-01-02"), nil
}
