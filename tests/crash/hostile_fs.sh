#!/usr/bin/env bash
# A full disk and a read-only file system, for real: tmpfs mounts in a private mount namespace
# (`unshare -m`), so nothing is left mounted on the machine. Root writes into a mode-0555 folder,
# so only a read-only mount shows what a read-only disk does.
#   full disk: an edit on a full disk is refused with "No space left on device" naming the project
#     file, and the project stays byte for byte as it was, opens, and passes `check`. On a nearly
#     full disk (a few pages free, tried in steps) each edit either succeeds, or is refused leaving
#     the project as it was, or (journal written, snapshot refused) is kept in the journal and says
#     so; the project opens and passes `check` after each.
#   read-only: every write command is refused with "Read-only file system"; the project is
#     unchanged and reading commands (info, codings, search, check) work.
# Usage: hostile_fs.sh MARGINALIA_CLI FIXTURES_DIR. Exit 77 (ctest: skipped) when this machine
# allows no mount namespace or no tmpfs mount, with the reason.
set -uo pipefail

if [ "${1:-}" != --inside ]; then
  if ! unshare -m --propagation private true 2>/dev/null; then
    echo "SKIP: unshare -m is not permitted here (needs root or user namespaces): $(unshare -m true 2>&1)"
    exit 77
  fi
  exec unshare -m --propagation private bash "$0" --inside "$@"
fi
shift
CLI=$1
FIX=$2
export MARGINALIA_CODER=ana
work=$(mktemp -d)
trap 'umount "$work/full" "$work/ro" 2>/dev/null; rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
# run NAME CLI-ARGS...: exit code in $rc, output in $work/NAME.out and .err
run() {
  local name=$1
  shift
  "$CLI" "$@" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
}
same_project() {  # the project folder byte for byte as copied (the lock is gone after each run)
  diff -r "$1" "$2" >"$work/diff" 2>&1 || fail "$3: the project changed: $(head -5 "$work/diff")"
}
opens_and_checks() {
  run info info "$1" || true
  [ "$rc" -eq 0 ] || fail "$2: the project does not open: $(cat "$work/info.err")"
  run check check "$1"
  [ "$rc" -eq 0 ] || fail "$2: check finds problems: $(cat "$work/check.out" "$work/check.err")"
}
make_project() {
  "$CLI" init "$1" --name "$2" >/dev/null || fail "init $1"
  "$CLI" import "$1" "$FIX/first_session.txt" >/dev/null 2>&1 || fail "import into $1"
  "$CLI" codebook "$1" load "$FIX/mini.qdc" >/dev/null || fail "codebook load into $1"
  "$CLI" code "$1" --source first_session --start 0 --end 10 --code 'Early anxiety' >/dev/null ||
    fail "code in $1"
}
codings() { "$CLI" codings "$1" --format csv | grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-'; }  # quoted text may span lines

# ---- A full disk
mkdir "$work/full"
if ! mount -t tmpfs -o size=300k tmpfs "$work/full" 2>"$work/mount.err"; then
  echo "SKIP: cannot mount a tmpfs here: $(cat "$work/mount.err")"
  exit 77
fi
P="$work/full/study"
make_project "$P" "Full disk"
head -c 400k /dev/zero >"$work/full/filler" 2>/dev/null  # stops at "No space left on device"
rm -rf "$work/before" && cp -a "$P" "$work/before"
run edit code "$P" --source first_session --start 20 --end 30 --code 'Early anxiety'
[ "$rc" -eq 1 ] || fail "full disk: the edit was not refused (exit $rc)"
grep -q "No space left on device" "$work/edit.err" || fail "full disk: unclear error: $(cat "$work/edit.err")"
grep -q "$P/" "$work/edit.err" || fail "full disk: the error names no project file: $(cat "$work/edit.err")"
echo "full disk: refused with: $(cat "$work/edit.err")"
same_project "$work/before" "$P" "full disk"
opens_and_checks "$P" "full disk"

# Nearly full: a few pages free, the edit's writes fail at different steps.
declare -A outcomes=()
for pages in 1 2 3 4 5 6 8 10 12 16 20 24 32 40 48; do
  rm -f "$work/full/filler"
  avail=$(df --output=avail -B1 "$work/full" | tail -1)
  fill=$((avail - pages * 4096))
  [ "$fill" -gt 0 ] && head -c "$fill" /dev/zero >"$work/full/filler" 2>/dev/null
  rm -rf "$work/before" && cp -a "$P" "$work/before"
  before=$(codings "$P")
  start=$((40 + pages))
  run edit code "$P" --source first_session --start "$start" --end $((start + 4)) --code 'Early anxiety'
  after=$(codings "$P")
  [ -n "${HOSTILE_DEBUG:-}" ] && echo "$pages pages: rc $rc, codings $before -> $after: $(cat "$work/edit.out" "$work/edit.err")"
  if [ "$rc" -eq 0 ]; then
    [ "$after" -eq $((before + 1)) ] ||
      fail "$pages pages free: success reported ($(cat "$work/edit.out")) but codings went from $before to $after: $(cat "$work/edit.err")"
    outcomes[saved]=$((${outcomes[saved]:-0} + 1))
  else
    grep -q "No space left on device" "$work/edit.err" ||
      fail "$pages pages free: unclear error: $(cat "$work/edit.err")"
    if [ "$after" -eq "$before" ]; then
      same_project "$work/before" "$P" "$pages pages free"
      outcomes[refused]=$((${outcomes[refused]:-0} + 1))
    else
      [ "$after" -eq $((before + 1)) ] || fail "$pages pages free: codings went from $before to $after"
      grep -q "kept in the journal" "$work/edit.err" ||
        fail "$pages pages free: the edit was kept but the error does not say so: $(cat "$work/edit.err")"
      outcomes[journaled]=$((${outcomes[journaled]:-0} + 1))
    fi
  fi
  opens_and_checks "$P" "$pages pages free"
done
echo "nearly full disk: refused unchanged ${outcomes[refused]:-0}, kept in the journal" \
  "${outcomes[journaled]:-0}, saved ${outcomes[saved]:-0} (of 15 fill levels)"
umount "$work/full"

# ---- A read-only file system
mkdir "$work/ro"
mount -t tmpfs -o size=4m tmpfs "$work/ro" || fail "cannot mount the second tmpfs"
R="$work/ro/study"
make_project "$R" "Read-only"
"$CLI" search "$R" anxious >/dev/null || fail "search before the remount"
rm -rf "$work/before" && cp -a "$R" "$work/before"
mount -o remount,ro "$work/ro" || fail "cannot remount read-only"
touch "$R/probe" 2>/dev/null && fail "root can still write: not a read-only mount"
for edit in "code $R --source first_session --start 20 --end 30 --code Transparency" \
  "new-code $R --name Hope" "undo $R" "import $R $FIX/windows1252.txt" "reindex $R"; do
  # shellcheck disable=SC2086
  run edit $edit
  [ "$rc" -eq 1 ] || fail "read-only: '$edit' was not refused (exit $rc)"
  grep -q "Read-only file system" "$work/edit.err" ||
    fail "read-only: '$edit': unclear error: $(cat "$work/edit.err")"
done
echo "read-only: refused with: $(cat "$work/edit.err")"
same_project "$work/before" "$R" "read-only"
opens_and_checks "$R" "read-only"
run codings codings "$R"
[ "$rc" -eq 0 ] || fail "read-only: codings: $(cat "$work/codings.err")"
run search search "$R" anxious
[ "$rc" -eq 0 ] || fail "read-only: search: $(cat "$work/search.err")"
echo "hostile file systems: all passed"
