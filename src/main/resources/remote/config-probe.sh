# shellcheck shell=sh
# apply's probe (dev.ntpdeploy.facts.ConfigProbe), also verify's for ntp_flavor auto: one privileged command per
# host reporting the ntpd flavor, whether this host's ntpd and chronyd run, the service manager, every candidate
# config file's exact bytes, mode, owner and age, and the reports of change units no controller received. The
# script only reports; Java decides (flavor, path, service), so the decisions are unit-tested.
#
# Arguments: STATE (where change units leave their reports, ChangeUnit.Places), then the candidate config paths.
# Sections: probe, ntpd_version, chronyd, now, ntpd_pid, ntpd_args, ntpd_age, chronyd_pid, chronyd_age, svcmgr,
# service (repeated), os,
# daemon (repeated: "PID COMM"), units, enabled (systemctl is-enabled's lines for the units, without systemctl: none),
# file (repeated: path, then "MODE OWNER GROUP MTIME" or "absent", then the content in base64), leftover
# (repeated: file name, then its content in base64), end.
state=$1
shift
sec probe
if command -v ntpd >/dev/null 2>&1; then
  v=$(ntpd --version 2>&1); nl='
'; val ntpd_version "${v%%"$nl"*}"
fi
command -v chronyd >/dev/null 2>&1 && sec chronyd
now=$(date +%s)
val now "$now"
# age PID: how long the process has run at $now. ps counts to when it runs, which under load can be seconds after
# $now (the files' ages are taken at $now): a daemon would look older than the file it started after (STALE).
age() {
  e=$(ps -o etimes= -p "$1" 2>/dev/null) || return 0
  t=$(date +%s)
  echo $((now - t + e))
}
pid=$(my_ntpd)
if [ -n "$pid" ]; then
  val ntpd_pid "$pid"
  val ntpd_args "$(tr '\000' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
  val ntpd_age "$(age "$pid")"
fi
pid=$(my_chronyd)
if [ -n "$pid" ]; then
  val chronyd_pid "$pid"
  val chronyd_age "$(age "$pid")"
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then val svcmgr systemd
elif command -v service >/dev/null 2>&1; then val svcmgr service
elif [ -d /etc/init.d ]; then val svcmgr init.d
else val svcmgr none; fi
for s in ntpsec ntp ntpd; do
  for d in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    [ -e "$d/$s.service" ] && { val service "$s"; break; }
  done
  [ -x "/etc/init.d/$s" ] && val service "$s"
done
# shellcheck disable=SC1091 # the host's file, read in a subshell
[ -r /etc/os-release ] && (. /etc/os-release; val os "${ID:-} ${ID_LIKE:-}")
# Every time daemon of this host (facts.TimeDaemons, the same names as facts.TimeDaemon): each process of this
# host's network namespace (the lab shares one PID namespace: a plain pgrep sees every host's daemons), then the
# main units that exist and systemctl's is-enabled word for each, in one call (a masked unit's /etc link is
# /dev/null, not a file: its main file is found below it). Aliases (ntp.service, chronyd.service links) are left out.
# (pgrep warns on stderr that this pattern is longer than a process name: each name in it is not)
daemons='ntpd|chronyd|systemd-timesyn'
procs=$(pgrep -l -x --ns $$ --nslist net "$daemons" 2>/dev/null); procs_rc=$?
if [ "$procs_rc" -eq 2 ]; then
  # a pgrep without --ns: compare each process's namespace with ours
  me=$(readlink /proc/self/ns/net)
  procs=$(pgrep -l -x "$daemons" 2>/dev/null | while read -r p c; do
    [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$me" ] && echo "$p $c"; done)
fi
printf '%s\n' "$procs" | while read -r p c; do [ -n "$p" ] && val daemon "$p $c"; done
units=
for s in ntpsec ntp ntpd chrony chronyd systemd-timesyncd; do
  for d in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    if [ -f "$d/$s.service" ] && [ ! -L "$d/$s.service" ]; then units="$units $s"; break; fi
  done
done
val units "${units# }"
if [ -n "$units" ] && command -v systemctl >/dev/null 2>&1; then
  sec enabled
  # shellcheck disable=SC2086 # one word per unit
  systemctl is-enabled $units 2>/dev/null
fi
for f in "$@"; do
  sec file
  printf '%s\n' "$f"
  if [ -f "$f" ]; then
    stat -c '%a %U %G %Y' -- "$f"
    base64 -w 0 < "$f"; echo
  else
    echo absent
  fi
done
# reports of change units whose controller went away (see ChangeUnit): the host finished them alone
for f in "$state"/*.done; do
  [ -f "$f" ] && { sec leftover; printf '%s\n' "${f##*/}"; base64 -w 0 < "$f"; echo; }
done
sec end
