# Shared by bench/run-paired and bench/run-rounds (sourced, not run): one PeerBenchmark score, and the
# median of a list of ratios. Expects $java and $shape set by the script that sources it.

# peer_score <jar> <variant>: one run (JMH -f 1 -wi 2 -w 1s -i 3 -r 1s), its score in M msg/s; the fork
# also gets $peer_jvm_args when the sourcing script sets it
peer_score() {
    local score
    local extra=()
    if [ -n "${peer_jvm_args:-}" ]; then
        extra=(-jvmArgsAppend "$peer_jvm_args")
    fi
    score=$("$java" -jar "$1" 'PeerBenchmark' -p shape="$shape" -p variant="$2" -f 1 -wi 2 -w 1s -i 3 -r 1s "${extra[@]}" 2>&1 \
        | awk '/^PeerBenchmark.run / { printf "%.3f", $7 / 1e6 }')
    if [ -z "$score" ]; then
        echo "$(basename "$0"): $1 ($2) produced no score (a failed verification?); rerun it alone to see why" >&2
        exit 1
    fi
    echo "$score"
}

# ratios_median: the ratios on stdin, one per line, as "median count min max" (median to 3 places)
ratios_median() {
    sort -n | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %d %.3f %.3f\n", m, NR, v[1], v[NR]
    }'
}
