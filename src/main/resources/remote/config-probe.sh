# shellcheck shell=sh
# apply's probe (dev.ntpdeploy.facts.ConfigProbe), also verify's for ntp_flavor auto: one privileged command per
# host reporting the ntpd flavor, whether this host's ntpd runs, the service manager, every candidate config
# file's exact bytes, mode, owner and age, and the reports of change units no controller received. The script
# only reports; Java decides (flavor, path, service), so the decisions are unit-tested.
#
# Arguments: STATE (where change units leave their reports, ChangeUnit.Places), then the candidate config paths.
# Sections: probe, ntpd_version, chronyd, now, ntpd_pid, ntpd_args, ntpd_age, svcmgr, service (repeated), os,
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
val now "$(date +%s)"
pid=$(my_ntpd)
if [ -n "$pid" ]; then
  val ntpd_pid "$pid"
  val ntpd_args "$(tr '\000' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
  val ntpd_age "$(ps -o etimes= -p "$pid" 2>/dev/null)"
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
