# test_rel_faults.sh - the short form of tests/reliability/faults.sh: a full
# tmpfs (free space swept from 0 to 160 KB in steps of 8 KB; 16 under the
# sanitizers), a read-only mount, a 0444 file and a folder without write
# permission: add and edit fail with a clear message and exit 4, nothing is
# corrupted, and a save in the screens that fails keeps the draft. Skipped
# without root.
case ${TR:-} in *asan*) STEP_KB=${STEP_KB:-16} ;; esac
SWEEP_KB=${SWEEP_KB:-160}
STEP_KB=${STEP_KB:-8}
source "$(dirname "$0")/../reliability/faults.sh"
