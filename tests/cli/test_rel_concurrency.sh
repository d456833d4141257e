# test_rel_concurrency.sh - the short form of tests/reliability/concurrency.sh:
# 4 writers x 100 adds (x 25 under the sanitizers) beside a browser that
# lists, searches and reports; all stored, every exit 0, no busy message.
case ${TR:-} in *asan*) ADDS=${ADDS:-25} ;; esac
WRITERS=${WRITERS:-4}
ADDS=${ADDS:-100}
BROWSERS=${BROWSERS:-1}
source "$(dirname "$0")/../reliability/concurrency.sh"
