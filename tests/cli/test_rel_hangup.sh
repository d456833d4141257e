# test_rel_hangup.sh - the short form of tests/reliability/hangup.sh: 5 tmux
# sessions (3 under the sanitizers) ended at random points of a form; the
# program exits within a second, spends no CPU after it, and keeps every
# field left in the draft.
case ${TR:-} in *asan*) SESSIONS=${SESSIONS:-3} ;; esac
SESSIONS=${SESSIONS:-5}
source "$(dirname "$0")/../reliability/hangup.sh"
