#!/usr/bin/env bash
# Fuzz replay: every libFuzzer harness in fuzz/, built with the ordinary
# compiler and fuzz/replay_main.c into BUILD/fuzz/replay_NAME, runs once
# over its seeds (fuzz/corpus/NAME) and every crash the fuzzers ever found
# (fuzz/regressions/NAME). In build-asan/ the replays run under ASan and
# UBSan, so a fixed crash that comes back fails here.
source "$(dirname "$0")/lib.sh"
BUILD_DIR=$(dirname "$TR")

for src in "$TOP"/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin="$BUILD_DIR/fuzz/replay_$name"
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz replay $name: $bin is not built"
		continue
	fi
	dirs=("$TOP/fuzz/corpus/$name")
	[ -d "$TOP/fuzz/regressions/$name" ] && dirs+=("$TOP/fuzz/regressions/$name")
	out=$("$bin" "${dirs[@]}" 2>"$BUILD_DIR/fuzz/replay_$name.err")
	status=$?
	err=$(grep -v '^replay ' "$BUILD_DIR/fuzz/replay_$name.err"; tail -n 1 "$BUILD_DIR/fuzz/replay_$name.err")
	n=$(printf '%s' "$out" | sed -n 's/.*: \([0-9]*\) inputs$/\1/p')
	regs=$(find "$TOP/fuzz/regressions/$name" -type f ! -name '.*' 2>/dev/null | wc -l)
	if [ "$status" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
		echo "ok - fuzz replay $name: ${n} inputs ($regs of them regressions)"
	else
		_fail "fuzz replay $name (exit $status; the input last named on stderr failed)"
	fi
done
