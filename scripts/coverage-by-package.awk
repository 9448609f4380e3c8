# Statement coverage by package from a Go cover profile (make cover).
# With -coverpkg, a block appears once per test binary that instruments
# it: it counts once, covered when any binary ran it.
#
#	awk -f scripts/coverage-by-package.awk cover.out
NR == 1 { next } # mode: ...
{
	block = $1; stmts[block] = $2
	if ($3 > 0) covered[block] = 1
}
END {
	for (b in stmts) {
		pkg = b; sub(/\/[^\/]*:.*/, "", pkg)
		all[pkg] += stmts[b]; total += stmts[b]
		if (b in covered) { hit[pkg] += stmts[b]; hits += stmts[b] }
	}
	n = 0
	for (p in all) names[++n] = p
	# sort the package names (insertion sort: a few dozen)
	for (i = 2; i <= n; i++) { v = names[i]; for (j = i - 1; j > 0 && names[j] > v; j--) names[j + 1] = names[j]; names[j + 1] = v }
	for (i = 1; i <= n; i++) printf "%6.1f%%  %s\n", 100 * hit[names[i]] / all[names[i]], names[i]
	printf "%6.1f%%  total (%d statements)\n", 100 * hits / total, total
}
