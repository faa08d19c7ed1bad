# shellcheck shell=sh
# Put in front of every ntpdeploy remote script (dev.ntpdeploy.facts.RemoteScript): the environment and the
# functions the scripts share. Builtins only: it costs no process.
#
# Output format of every script (parsed by dev.ntpdeploy.facts.ScriptOutput, the one parser): sections. A line
# "@@ntpdeploy:NAME@@" opens section NAME, and every line after it up to the next such line is its body,
# verbatim. A section may repeat. A script's last section is "end", so output cut short is told from complete.

# sbin tools for non-root logins, the login's own PATH first; untranslated messages and numbers
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin"; export PATH
LC_ALL=C; export LC_ALL

# sec NAME: opens section NAME
sec() { printf '@@ntpdeploy:%s@@\n' "$1"; }
# val NAME VALUE: a section of one line
val() { printf '@@ntpdeploy:%s@@\n%s\n' "$1" "$2"; }

# my_ntpd: prints the PID of this host's ntpd. The lab shares one PID namespace across hosts (network namespaces
# only), so "pgrep ntpd" alone would see every host's daemon: keep the ones in our own network namespace (always
# all of them on a real host). One pgrep filters by namespace itself (procps-ng >= 3.3.?, exit 2 = option
# unknown): the readlink loop it replaces ran two programs per ntpd on the machine, 0.8 CPU-s per call on a
# 30-ntpd lab (docs/benchmarks.md).
my_ntpd() {
  ps_out=$(pgrep -x --ns $$ --nslist net ntpd 2>/dev/null); ps_rc=$?
  if [ "$ps_rc" -ne 2 ]; then
    # shellcheck disable=SC2086 # split into words on purpose: the first pid
    set -- $ps_out; [ -n "${1:-}" ] && echo "$1"
    return 0
  fi
  me=$(readlink /proc/self/ns/net)
  for p in $(pgrep -x ntpd 2>/dev/null); do
    [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$me" ] && { echo "$p"; return 0; }
  done
  return 0
}

# my_chronyd: prints the PID of this host's chronyd (as my_ntpd: only this network namespace's). chronyd forks a
# helper that keeps root; the main process is the one whose parent is not a chronyd. A zombie is a chronyd that
# exited and was not reaped yet (the lab reaps slowly): not running. Builtins only beyond the one pgrep.
my_chronyd() {
  ps_out=$(pgrep -x --ns $$ --nslist net chronyd 2>/dev/null)
  if [ $? -eq 2 ]; then
    me=$(readlink /proc/self/ns/net) ps_out=
    for p in $(pgrep -x chronyd 2>/dev/null); do
      [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$me" ] && ps_out="$ps_out $p"
    done
  fi
  for p in $ps_out; do
    st=Z pp=0 pc=
    { read -r _ _ st pp _ < "/proc/$p/stat"; } 2>/dev/null
    { read -r pc < "/proc/$pp/comm"; } 2>/dev/null
    [ "$st" != Z ] && [ "$pc" != chronyd ] && { echo "$p"; return 0; }
  done
  return 0
}
