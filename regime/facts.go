package regime

import (
	"fmt"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Every fact an explanation can cite has a date, and an explanation for a
// query date cites only the facts known on it: a conviction, a non-compliance
// finding, a withdrawal, a re-listing that came later is left out. The
// mechanism is the dated sentence (DatedSentence): a text that holds from a
// date. Rules carry them (dated_text, dated_citation), and so do US programs
// (dated_authority), art. 12(3) declarations and situations (dated_notes).

// sentencesOn joins the texts of the dated sentences that hold on t, in order.
func sentencesOn(ds []DatedSentence, t time.Time) string {
	var out []string
	for _, d := range ds {
		if !d.From.t.After(t) {
			out = append(out, d.Text)
		}
	}
	return strings.Join(out, " ")
}

// citation is a rule's citation as known on the query date: its dated parts
// are added only from their date.
func (ev *evaluation) citation(ruleID string) string {
	r := ev.e.rules[ruleID]
	s := r.Citation
	if more := sentencesOn(r.DatedCitation, ev.date); more != "" {
		s += "; " + more
	}
	return s
}

// programAuthority is the legal basis cited for a US program on t: its own
// authority with its confidence tag (plus the parts in force by t, e.g.
// regulations issued later), or the generic IEEPA fallback [D] when the data
// does not know the program.
func programAuthority(p usProgram, tag string, t time.Time) string {
	if p.Authority == "" {
		if tag == "" {
			tag = "the program"
		}
		return fmt.Sprintf("IEEPA (50 U.S.C. 1701-1706) and the program's executive order (%s: authority not in the data) [D]", tag)
	}
	c := p.AuthorityConfidence
	if c == "" {
		c = p.Confidence
	}
	a := p.Authority
	if more := sentencesOn(p.DatedAuthority, t); more != "" {
		a += "; " + more
	}
	return fmt.Sprintf("%s [%s]", a, c)
}

// eifConfidence is the confidence of a State Party's entry-into-force date:
// [D] (computed per art. 126(2) from the deposit) unless a source states it.
func (sp stateParty) eifConfidence() conf {
	if sp.EIFConfidence != "" {
		return sp.EIFConfidence
	}
	return ConfDerived
}

// membershipFacts are the facts a membership answer for sp on t uses: the
// entry into force (derived unless a source states it), and the withdrawal
// events known on t.
func (e *Engine) membershipFacts(sp stateParty, t time.Time) []string {
	name := countryName(sp.ISO2)
	if sp.Country != "" {
		name = sp.Country
	}
	eif := fmt.Sprintf("entry into force of the Rome Statute for %s on %s", name, sp.EntryIntoForce.t.Format(dfmt))
	if sp.EIFConfidence == "" {
		eif += ", computed per art. 126(2) from the deposit"
		if !sp.Ratified.IsZero() {
			eif += " of " + sp.Ratified.t.Format(dfmt)
		}
	} else if sp.EIFSource != "" {
		eif += " (" + sp.EIFSource + ")"
	}
	out := []string{fact(sp.eifConfidence(), eif)}
	if !sp.WithdrawalNotified.IsZero() && !sp.WithdrawalNotified.t.After(t) || !sp.WithdrawalEffective.IsZero() && !sp.WithdrawalEffective.t.After(t) {
		out = append(out, fact(sp.Confidence, fmt.Sprintf("withdrawal of %s (notified %s, effective %s)", name,
			orUnknown(sp.WithdrawalNotified), orUnknown(sp.WithdrawalEffective))))
	}
	if !sp.WithdrawalRepealed.IsZero() && !sp.WithdrawalRepealed.t.After(t) {
		out = append(out, fact(sp.Confidence, fmt.Sprintf("repeal of %s's withdrawal on %s", name, sp.WithdrawalRepealed.t.Format(dfmt))))
	}
	return out
}

// partyFacts are the membership facts of sp on any date (for the worst case
// shown by `lexscreen regimes`).
func (e *Engine) partyFacts(sp stateParty) []string { return e.membershipFacts(sp, MaxDate) }

func orUnknown(d day) string {
	if d.IsZero() {
		return "not recorded"
	}
	return d.t.Format(dfmt)
}

// withdrawalOn says what is known on t of a State's withdrawal: nothing before
// it was notified; a pending withdrawal and when it would take effect; a
// repeal once it happened. It never states a later event.
func withdrawalOn(sp stateParty, name string, t time.Time) string {
	if sp.WithdrawalNotified.IsZero() || sp.WithdrawalNotified.t.After(t) {
		return ""
	}
	effective := sp.WithdrawalEffective
	if effective.IsZero() {
		effective = day{sp.WithdrawalNotified.t.AddDate(1, 0, 0)} // art. 127(1): one year after notification
	}
	s := fmt.Sprintf("%s notified its withdrawal on %s, to take effect on %s (art. 127(1))", name, sp.WithdrawalNotified.t.Format(dfmt), effective.t.Format(dfmt))
	if sp.Confidence == ConfDerived {
		s += " [the notification date is inferred as the effective date minus one year: D]"
	}
	if !sp.WithdrawalRepealed.IsZero() && !sp.WithdrawalRepealed.t.After(t) {
		return s + fmt.Sprintf("; the withdrawal was repealed on %s, before it took effect, so it never did [%s].", sp.WithdrawalRepealed.t.Format(dfmt), sp.Confidence)
	}
	if t.Before(effective.t) {
		return s + "; until then it remains a party, and art. 127(2) keeps its duty in proceedings begun before that date."
	}
	return s + "."
}

// licenceFacts are the confidence facts of a general licence: the licence
// itself, its end date when it was not found, and which designees it covers
// when that is inferred.
func licenceFacts(gl generalLicence) []string {
	out := []string{fact(gl.Confidence, "General Licence "+strings.TrimPrefix(gl.ID, "GL")+" ("+gl.Scope+")")}
	if gl.CoverageConfidence != "" {
		out = append(out, fact(gl.CoverageConfidence, fmt.Sprintf("which designees General Licence %s covers (%s)", strings.TrimPrefix(gl.ID, "GL"), gl.CoverageNote)))
	}
	return out
}

// licenceNote is the sentence an explanation gives for a general licence in
// force on t, with the facts it uses. A licence whose end date was not found
// says so: it is never called indefinite.
func licenceNote(gl generalLicence, name string, t time.Time) (string, []string) {
	n := strings.TrimPrefix(gl.ID, "GL")
	s := fmt.Sprintf("General Licence %s (issued %s) authorises %s", n, gl.From.t.Format(dfmt), gl.Scope)
	fs := licenceFacts(gl)
	switch {
	case !gl.Until.IsZero():
		s += " until " + gl.Until.t.Format(dfmt)
	default:
		s += "; its end date is unknown (not found in the sources [NF]): check OFAC's current text before relying on it"
	}
	if gl.CoverageConfidence != "" {
		s += fmt.Sprintf("; that it covers %s is inferred [%s]: %s", name, gl.CoverageConfidence, gl.CoverageNote)
	}
	return s + "; outside it the prohibitions apply.", fs
}

// historyDate renders a status entry's date, or the earliest it can be when
// the exact date was not captured.
func historyDate(h statusEntry) string {
	if h.DateUnknown {
		return "on a date not captured, after " + h.Date.t.AddDate(0, 0, -1).Format(dfmt)
	}
	return "on " + h.Date.t.Format(dfmt)
}

// litigationFlag is the structured flag a designation under litigation
// carries on t (nil before the litigation is known).
func litigationFlag(d *usDesignation, t time.Time) *lexscreen.ObligationFlag {
	if d == nil || d.Litigation == nil || d.Litigation.Since.t.After(t) {
		return nil
	}
	lt := d.Litigation
	return &lexscreen.ObligationFlag{Code: "LITIGATION_PENDING", Since: lt.Since.t.Format(dfmt),
		Text: lt.Text, Confidence: string(lt.Confidence)}
}
