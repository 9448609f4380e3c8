package monitor

import (
	"context"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
)

// Reevaluate asks the Sink, when it keeps alerts (Reevaluator), to
// re-evaluate the obligations of its open alerts with obligations: the
// hook for a changed legal fact (regime data, an overlay, a warrant's
// status) while the listings stay the same. It reports whether the Sink
// could; a Sink that keeps no alerts (JSONLSink) is said so, not ignored.
func (r *Runner) Reevaluate(ctx context.Context, run string, obligations ObligationsFunc) (bool, error) {
	re, ok := r.Sink.(Reevaluator)
	if !ok {
		return false, nil
	}
	return true, re.Reevaluate(ctx, run, obligations)
}

// RegimeObligations returns an ObligationsFunc that evaluates a match with
// the legal regimes of opts (Regimes, Operator, Date) and the listing as
// sc holds it. Subjects screened for another operator profile than
// opts.Operator are refused (named profiles are resolved by the caller).
func RegimeObligations(sc *screening.Screener, opts screening.Options) ObligationsFunc {
	return func(operator string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		if opts.Regimes == nil {
			return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "no legal regimes to re-evaluate obligations with: give an operator")
		}
		if operator != "" && operator != opts.Operator.Name {
			return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "alert screened for operator %q, re-evaluation asked for %q", operator, opts.Operator.Name)
		}
		return opts.Regimes.Evaluate(opts.Operator, opts.Date, sc.Listing(&m))
	}
}
