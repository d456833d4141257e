# test_rel_hostile.sh - the short form of tests/reliability/hostile.py: about
# 300 hostile strings through add (a sample), import, a planted bundle,
# export, the command line's views and the screens in tmux.
exec python3 "$(dirname "$0")/../reliability/hostile.py" --short
