# test_rel_crash.sh - the short form of tests/reliability/crash.sh: 10
# writers adding while one at a time is SIGKILLed and restarted, 30 kills
# (12 under the sanitizers, where every process is slower); then every add
# that exited 0 is stored once, whole, with its audit row, and the counts
# of people agree with a recount.
case ${TR:-} in *asan*) KILLS=${KILLS:-12} ;; esac
KILLS=${KILLS:-30}
source "$(dirname "$0")/../reliability/crash.sh"
