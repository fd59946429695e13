#!/usr/bin/env bash
# `make bench`: for each corpus size, a bench database on the embedded PostgreSQL
# (aiwatch_bench_<N>, never the dev database), migrated, filled by generate_corpus
# unless it already holds that corpus, then timed by bench_search. Everything
# goes to stdout; the tables are Markdown, ready for the README.
#
#   BENCH_SIZES="10000 100000"  corpus sizes, in articles ("10000 100000 1000000" adds the
#                               million: 26 GB of disk and about 80 minutes on 2 cores)
#   BENCH_REGENERATE=1          regenerate even when the database holds the corpus
#   BENCH_REPEAT=30             measured requests per query class
#   BENCH_SEED=42               generate_corpus --seed
#   BENCH_IMPORT_PAGES=1000     HTML pages for the import benchmark (0 skips it)
#   BENCH_STORY_ARTICLES=10000  the judged queries on the seeded story inside a corpus of
#                               this size (0 skips it)
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PYTHON_BIN:-.venv/bin/python}
SIZES=${BENCH_SIZES:-10000 100000}
REPEAT=${BENCH_REPEAT:-30}
SEED=${BENCH_SEED:-42}

if [[ -n "${DATABASE_URL:-}" ]]; then
    echo "bench/run.sh uses the embedded PostgreSQL, one database per size; unset DATABASE_URL." >&2
    exit 2
fi

RECORD=$(mktemp -t aiwatch-bench.XXXXXX)
trap 'rm -f "$RECORD"' EXIT

reuse=--reuse
[[ "${BENCH_REGENERATE:-0}" == 1 ]] && reuse=

now() { date +%s%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

echo "# aiwatch search benchmark"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?');" \
    "cpus: $(nproc); $($PY --version)"
echo "sizes: $SIZES; repeat: $REPEAT; seed: $SEED"

for N in $SIZES; do
    if ! [[ "$N" =~ ^[1-9][0-9]*$ ]]; then
        echo "BENCH_SIZES: '$N' is not a number of articles." >&2
        exit 2
    fi
    export AIWATCH_EMBEDDED_DATABASE="aiwatch_bench_$N"
    echo
    echo "## $N articles (database $AIWATCH_EMBEDDED_DATABASE)"
    "$PY" manage.py migrate --no-input --verbosity 0
    started=$(now)
    "$PY" manage.py generate_corpus --articles "$N" --seed "$SEED" $reuse
    echo "generate_corpus wall time (process included): $(seconds_since "$started") s"
    started=$(now)
    "$PY" manage.py bench_search --repeat "$REPEAT" --label "$N articles" --record "$RECORD"
    echo "bench_search wall time: $(seconds_since "$started") s"
done

echo
"$PY" manage.py bench_search --growth "$RECORD"

# Relevance at scale: the judged set (tests/search/search_judgments.toml) on the seeded
# story alone, then inside a generated corpus, each on a database of its own. It fails
# nothing: tests/search/test_search_relevance.py and tests/bench/test_corpus_relevance.py
# hold both to the target.
STORY=${BENCH_STORY_ARTICLES:-10000}
if ! [[ "$STORY" =~ ^[0-9]+$ ]]; then
    echo "BENCH_STORY_ARTICLES: '$STORY' is not a number of articles." >&2
    exit 2
fi
if [[ "$STORY" != 0 ]]; then
    echo
    echo "## relevance: the judged queries on the story alone, then inside $STORY generated articles"
    export AIWATCH_EMBEDDED_DATABASE="aiwatch_bench_story_0"
    "$PY" manage.py migrate --no-input --verbosity 0
    "$PY" manage.py seed >/dev/null
    echo "story alone:"
    "$PY" manage.py search_relevance --worst 0 --allow-missing \
        | grep -E '^(Judged queries|nDCG@10|MRR):' || echo "(no scores printed)"
    export AIWATCH_EMBEDDED_DATABASE="aiwatch_bench_story_$STORY"
    "$PY" manage.py migrate --no-input --verbosity 0
    # Regenerated every time: the story added on top makes the corpus one --reuse would not
    # recognise anyway.
    "$PY" manage.py generate_corpus --articles "$STORY" --seed "$SEED" >/dev/null
    "$PY" manage.py seed >/dev/null
    echo "story inside $STORY generated articles (generated pages graded by bench/judging.py):"
    "$PY" manage.py corpus_relevance --worst 5 --allow-missing || echo "(corpus_relevance failed)"
fi

# Import speed: BENCH_IMPORT_PAGES generated HTML pages (0 to skip), on a database of their own.
PAGES=${BENCH_IMPORT_PAGES:-1000}
if [[ "$PAGES" != 0 ]]; then
    export AIWATCH_EMBEDDED_DATABASE="aiwatch_bench_import"
    echo
    echo "## import of $PAGES HTML pages (database $AIWATCH_EMBEDDED_DATABASE)"
    "$PY" manage.py migrate --no-input --verbosity 0
    "$PY" manage.py bench_import --pages "$PAGES" --seed "$SEED"
fi
