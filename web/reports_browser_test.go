package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// theReportsEnv is the server of the research pages: the shared one, whose
// two OFAC snapshots (2025-02-27 and 2025-12-24, with the ICC-EO14203
// designations) give the list changes page a timeline to draw. These
// pages only read the lists, so the alerts other tests open do not
// matter to them.
func theReportsEnv(t *testing.T) *uiEnv {
	t.Helper()
	return theEnv(t)
}

// TestBrowserEntityPage: an entity with its designations, its history over
// the two snapshots and its matches on the other lists: the ICC Prosecutor,
// designated under EO 14203, is also the subject of a Russian criminal case.
func TestBrowserEntityPage(t *testing.T) {
	e := theReportsEnv(t)
	tab := e.login("ana")
	tab.open("/ui/entity/us-ofac-sdn:52965")
	main := tab.text("#main")
	for _, want := range []string{"KHAN, Karim Asad Ahmad", "ICC-EO14203", "2025-12-24 · Appeared", "ru-icc-cases:khan-karim", "Karim Asad Ahmad Khan"} {
		if !strings.Contains(main, want) {
			t.Errorf("entity page lacks %q", want)
		}
	}
	tab.axeCheck("entity")
	tab.screenshot("entity")
	// A warrant of the ICC list, and a look-up by id from the form.
	tab.open("/ui/entity/icc-warrants:putin-vladimir-vladimirovich")
	main = tab.text("#main")
	for _, want := range []string{"Vladimir Vladimirovich Putin", "ICC arrest warrants", "Rome Statute art. 58", "2023-03-17"} {
		if !strings.Contains(main, want) {
			t.Errorf("warrant page lacks %q", want)
		}
	}
	tab.open("/ui/entity")
	tab.run(chromedp.SendKeys(chromedp.CSS("#entity-id"), "us-ofac-sdn:306"), chromedp.Submit(chromedp.CSS("#entity-id")), chromedp.WaitReady(chromedp.CSS("#names-h")))
	if got := tab.text("h1"); !strings.Contains(strings.ToUpper(got), "BANCO NACIONAL DE CUBA") {
		t.Errorf("look-up of us-ofac-sdn:306: h1 %q", got)
	}
}

// TestBrowserChangesPage: the SDN list's timeline (chart and table), the
// diff between its two snapshots and the ICC-EO14203 designations by date.
func TestBrowserChangesPage(t *testing.T) {
	e := theReportsEnv(t)
	tab := e.login("ana")
	tab.open("/ui/changes?source=us-ofac-sdn")
	main := tab.text("#main")
	for _, want := range []string{"Additions and removals over time", "What changed from 2025-02-27 to 2025-12-24", "ICC-EO14203 designations, by date", "2025-02-06: KHAN, Karim Asad Ahmad", "2026-05-13: Enjoined", "on the list in use"} {
		if !strings.Contains(main, want) {
			t.Errorf("list changes page lacks %q", want)
		}
	}
	if n := get(tab, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart rect").length`)); n < 2 {
		t.Errorf("chart: %d bars", n)
	}
	tab.axeCheck("changes")
	tab.screenshot("changes")
}

// TestBrowserExposurePage: the report of an EU subsidiary of a US bank with
// and without the EU annexing EO 14203, side by side, and its exports.
func TestBrowserExposurePage(t *testing.T) {
	e := theReportsEnv(t)
	tab := e.login("ana")
	tab.open("/ui/exposure")
	tab.run(chromedp.SetValue(chromedp.CSS("#ex-date"), "2027-03-01"), chromedp.Click(chromedp.CSS("#ex-overlay")), chromedp.Click(chromedp.CSS("#ex-current")),
		chromedp.Submit(chromedp.CSS("#ex-date")), chromedp.WaitReady(chromedp.CSS("#changes-h")))
	main := tab.text("#main")
	for _, want := range []string{"eu-subsidiary-of-us-bank on 2027-03-01", "With the overlay", "What the overlay changes", "ICC-EO14203", "In conflict"} {
		if !strings.Contains(main, want) {
			t.Errorf("exposure page lacks %q", want)
		}
	}
	tab.axeCheck("exposure")
	tab.screenshot("exposure")
	// The export buttons post the form as it is: the files come back whole.
	for format, want := range map[string]string{"pdf": "application/pdf %P", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK"} {
		got := get(tab, chromedp.Evaluate[string](`(async () => {
			const f = document.querySelector('form[action="/ui/exposure/export"]');
			const fd = new FormData(f); fd.set("format", "`+format+`");
			const r = await fetch(f.action, {method: "POST", body: new URLSearchParams(fd)});
			const b = new Uint8Array(await r.arrayBuffer());
			return r.headers.get("content-type") + " " + String.fromCharCode(b[0], b[1]) + " " + b.length;
		})()`, chromedp.EvalAwaitPromise))
		if !strings.HasPrefix(got, want) {
			t.Errorf("export %s: %q, want %q...", format, got, want)
		}
	}
}

// TestBrowserICCPage: the map and tables for a date between Putin's visit
// to Tajikistan and any finding on it, and a date before every visit.
func TestBrowserICCPage(t *testing.T) {
	e := theReportsEnv(t)
	tab := e.login("dora")
	tab.open("/ui/icc?date=2025-10-20")
	main := tab.text("#main")
	for _, want := range []string{"ICC cooperation on 2025-10-20", "Mongolia", "Hungary", "Tajikistan", "Pre-Trial Chamber II", "No finding located", "Netanyahu"} {
		if !strings.Contains(main, want) {
			t.Errorf("ICC page lacks %q", want)
		}
	}
	if n := get(tab, chromedp.Evaluate[int](`document.querySelectorAll("svg.worldmap path").length`)); n < 170 {
		t.Errorf("map: %d countries", n)
	}
	tab.axeCheck("icc")
	tab.screenshot("icc")
	tab.open("/ui/icc?date=2024-06-01")
	main = tab.text("#main")
	for _, later := range []string{"Netanyahu", "Dushanbe", "Ulaanbaatar", "Pre-Trial Chamber"} {
		if strings.Contains(main, later) {
			t.Errorf("ICC page of 2024-06-01 states a later fact: %q", later)
		}
	}
}
