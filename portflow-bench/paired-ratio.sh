#!/bin/sh
# Paired measurement of the channel hand-off ratios (Portflow / MpscArrayQueue).
#
# On a small VM the MpscArrayQueue baseline swings by 2-5x between runs (it is bound by cache-line
# transfers between the producer's and the consumer's vCPU, so it depends on where the host places
# them). A ratio of two numbers measured minutes apart is then mostly noise. This script runs
# ROUNDS short rounds; each round measures the baseline and the Portflow variants back to back,
# and the ratio is taken within a round. Reported: per-round ratios and their median.
#
# Usage: portflow-bench/paired-ratio.sh [ROUNDS]     (default 6; about 40 s per round)
# Environment: JAVA_HOME, BENCH_OUT as for bench/run-core; PAIRED_OPTS (default -f 1 -wi 2 -w 1s -i 3 -r 1s).
set -eu

cd "$(dirname "$0")/.."
rounds=${1:-6}
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME
java="$JAVA_HOME/bin/java"
opts=${PAIRED_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s}
out=${BENCH_OUT:-portflow-bench/target/jmh}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out/paired-$stamp"

./mvnw -q -B -pl portflow-bench -am package -DskipTests
jar=portflow-bench/target/benchmarks.jar

log="$out/paired-$stamp.txt"
{
    echo "# paired-ratio $stamp: $rounds rounds"
    echo "host:    nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr)"
    echo "jdk:     $("$java" -version 2>&1 | head -n 2 | tail -n 1)"
    echo "source:  git $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(git status --porcelain -- portflow-core 2>/dev/null | wc -l | tr -d ' ') uncommitted change(s) in portflow-core"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "each round: $java -jar $jar 'dev\\.portflow\\.bench\\.ChannelHandoffBenchmark' -p channel=${PAIRED_CHANNELS:-mpsc,portflow_timed,portflow_untimed,mpsc_batch,portflow_timed_batch} $opts -rf json -rff <round>.json"
} | tee "$log"

files=""
k=1
while [ "$k" -le "$rounds" ]; do
    json="$out/paired-$stamp/round-$k.json"
    echo "round $k/$rounds ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$log"
    "$java" -jar "$jar" 'dev\.portflow\.bench\.ChannelHandoffBenchmark' \
        -p channel=${PAIRED_CHANNELS:-mpsc,portflow_timed,portflow_untimed,mpsc_batch,portflow_timed_batch} $opts -rf json -rff "$json" >> "$log" 2>&1
    files="$files $json"
    k=$((k + 1))
done
# shellcheck disable=SC2086 # one argument per round file
"$java" -cp "$jar" dev.portflow.bench.ResultsSummary $files | tee "$out/paired-$stamp.md"
echo "log: $log"
