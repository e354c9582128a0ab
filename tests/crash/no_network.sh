#!/usr/bin/env bash
# No code path reaches the network except the explicit remote index (`--index tcp://...`).
# Every command below runs in a network namespace without interfaces (`unshare -n`), so it must
# work without a network, and under `strace -f -e trace=socket,connect`, so any attempt shows:
# the test fails on any socket other than a local Unix socket, and names each Unix socket a
# command connects to. The only one expected is glibc's name service cache
# (/var/run/nscd/socket), which getpwuid() tries when --coder and MARGINALIA_CODER are unset and
# the login name is looked up; it is local and absent on most machines.
# Then the one command that may connect, `search --index tcp://...`, is run the same way to show
# the trace does see a connection attempt, and that it fails with a clear message.
# Usage: no_network.sh MARGINALIA_CLI FIXTURES_DIR SAMPLE_TRANSCRIPTS_DIR. Exit 77 (ctest: skipped)
# with the reason when unshare -n or strace is not available.
set -uo pipefail
CLI=$1
FIX=$2
SAMPLES=$3
command -v strace >/dev/null || { echo "SKIP: strace is not installed (scripts/setup.sh installs it)"; exit 77; }
if ! unshare -n true 2>"${TMPDIR:-/tmp}/unshare.err.$$"; then
  echo "SKIP: unshare -n is not permitted here: $(cat "${TMPDIR:-/tmp}/unshare.err.$$")"
  rm -f "${TMPDIR:-/tmp}/unshare.err.$$"
  exit 77
fi
rm -f "${TMPDIR:-/tmp}/unshare.err.$$"
# LeakSanitizer cannot run under ptrace: in the sanitizer build the leak check is off here (the
# other tests of that build still make it).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
if ! strace -f -qq -e trace=socket,connect -o /dev/null true 2>/dev/null; then
  echo "SKIP: strace cannot trace here (ptrace not permitted): $(strace -o /dev/null true 2>&1 | head -1)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
P="$work/study"
fail() {
  echo "FAIL: $*"
  exit 1
}
ALLOWED_UNIX_SOCKETS="/var/run/nscd/socket /run/nscd/socket"
n=0
offline() {  # offline ARGS...: runs marginalia-cli ARGS with no network, traced; must succeed
  n=$((n + 1))
  local trace="$work/trace.$n"
  if ! unshare -n strace -f -qq -e trace=socket,connect -o "$trace" "$CLI" "$@" \
    >"$work/out" 2>"$work/err"; then
    fail "'$*' failed without a network: $(cat "$work/err")"
  fi
  if grep -E 'socket\(' "$trace" | grep -vq 'AF_UNIX'; then
    fail "'$*' opened a network socket: $(grep -E 'socket\(' "$trace" | grep -v AF_UNIX | head -3)"
  fi
  local path
  while read -r path; do
    case " $ALLOWED_UNIX_SOCKETS " in
      *" $path "*) echo "  '$1' connected to the local Unix socket $path (name service cache)" ;;
      *) fail "'$*' connected to the Unix socket $path, which this test does not name" ;;
    esac
  done < <(grep -oE 'connect\([0-9]+, \{sa_family=AF_UNIX, sun_path="[^"]*"' "$trace" |
    sed -E 's/.*sun_path="([^"]*)"/\1/' | sort -u)
  if grep -E 'connect\(' "$trace" | grep -vq 'AF_UNIX'; then
    fail "'$*' tried a network connection: $(grep -E 'connect\(' "$trace" | grep -v AF_UNIX | head -3)"
  fi
}

export MARGINALIA_CODER=ana
offline init "$P" --name "Offline"
offline import "$P" "$FIX/first_session.txt" "$SAMPLES/d1_client_lena.txt"
offline codebook "$P" load "$FIX/mini.qdc"
offline codebook "$P" list
offline info "$P"
offline code "$P" --source first_session --start 0 --end 10 --code 'Early anxiety'
offline code-turn "$P" --source d1_client_lena --turn 2 --code Transparency
offline new-code "$P" --name Hope
offline rename-code "$P" --code Hope --name Hopefulness
offline undo "$P"
offline redo "$P"
offline codings "$P"
offline search "$P" anxious
offline kwic "$P" feel
offline words "$P"
offline freq "$P"
offline matrix "$P"
offline cooccur "$P"
offline report "$P" -o "$work/report.html"
offline memos "$P"
offline reindex "$P"
offline check "$P"
offline check "$P" --repair
unset MARGINALIA_CODER
offline code "$P" --source first_session --start 12 --end 20 --code 'Early anxiety'
echo "no network: $n commands ran without a network and opened no network socket"

# The explicit remote index does try, and without a network says so.
trace="$work/trace.remote"
if unshare -n strace -f -qq -e trace=socket,connect -o "$trace" "$CLI" search "$P" anxious \
  --index tcp://127.0.0.1:4000 >"$work/out" 2>"$work/err"; then
  fail "search --index tcp://... succeeded without a network"
fi
grep -q 'AF_INET' "$trace" || fail "the trace shows no attempt by search --index tcp://...: the test would not see one"
grep -q "127.0.0.1:4000" "$work/err" || fail "the remote index error names no address: $(cat "$work/err")"
echo "remote index (the one allowed connection) without a network: $(cat "$work/err")"
