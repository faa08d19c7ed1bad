# shellcheck shell=sh
# The restart check (dev.ntpdeploy.ops.RestartService, parsed by dev.ntpdeploy.facts.DaemonStartLog): restart
# the service, wait (on conditions, bounded) for this host's new daemon and for it to finish starting (ntpd: its
# Listen lines; chronyd: chronyc gets an answer), then print its startup lines from its -l log file (read from
# where the old daemon's log ended) or, on systemd, from the journal since the restart. The change unit runs it
# as its function restart_check (this text in a subshell), once for the new config and once more after a
# rollback; run alone, it is the fact of the captures.
#
# Arguments: SERVICE (unit or script name), MANAGER (systemd, service, init.d: ServiceManager's words), OLD_PID
# (the daemon before the restart, or empty), PROGRAM (ntpd or chronyd; ntpd when left out).
# Sections: program, restart_rc, restart_out, pid, died, logfile, log, end.
svc=$1
svcmgr=$2
old=${3:-}
prog=${4:-ntpd}
mine() { if [ "$prog" = chronyd ]; then my_chronyd; else my_ntpd; fi; }
logof() {
  tr '\000' '\n' < "/proc/$1/cmdline" 2>/dev/null | awk '
    p { print; exit }
    $0 == "-l" || $0 == "--logfile" { p = 1; next }
    /^--logfile=/ { sub(/^--logfile=/, ""); print; exit }
    /^-l./ { print substr($0, 3); exit }'
}
restart() {
  case $svcmgr in
    systemd) systemctl restart "$svc" ;;
    service) service "$svc" restart ;;
    init.d) "/etc/init.d/$svc" restart ;;
    *) false ;;
  esac
}
L0=""; S0=0
if [ -n "$old" ]; then
  L0=$(logof "$old")
fi
# no old daemon to ask: the usual log files, so a daemon that dies at start still shows its reason
logs="/var/log/ntpsec/ntpd.log /var/log/ntp.log /var/log/ntpd.log"
[ "$prog" = chronyd ] && logs=/var/log/chrony/chronyd.log
if [ -z "$L0" ]; then
  for f in $logs; do
    [ -f "$f" ] && { L0=$f; break; }
  done
fi
[ -n "$L0" ] && [ -f "$L0" ] && S0=$(stat -c %s "$L0")
T0=$(date +%s)
out=$(restart 2>&1); rc=$?
val program "$prog"
val restart_rc "$rc"
sec restart_out
printf '%s\n' "$out" | tail -n 20
limit=100; [ "$rc" -ne 0 ] && limit=20
i=0; pid=""
while [ $i -lt $limit ]; do
  pid=$(mine)
  [ -n "$pid" ] && [ "$pid" != "$old" ] && break
  pid=""; sleep 0.1; i=$((i+1))
done
startlines() {
  if [ -n "$L" ] && [ -f "$L" ]; then
    S=0
    [ "$L" = "$L0" ] && [ "$(stat -c %s "$L")" -ge "$S0" ] && S=$S0
    # ntpd's lines carry its pid; chronyd's do not
    if [ "$S" -gt 0 ] || [ -z "$pid" ] || [ "$prog" != ntpd ]; then tail -c +$((S + 1)) "$L"
    else grep -F "[$pid]" "$L"; fi
  elif [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then
    journalctl -u "$svc" --since "@$T0" --no-pager -q -o short 2>/dev/null
  fi
}
L=""
if [ -n "$pid" ]; then
  val pid "$pid"
  L=$(logof "$pid")
  j=0
  if [ "$prog" = chronyd ] && command -v chronyc >/dev/null 2>&1; then
    # chronyd opens its command socket last in its start: an answer means it has read its config and bound
    while [ $j -lt 50 ] && kill -0 "$pid" 2>/dev/null && ! chronyc -n -c tracking >/dev/null 2>&1; do
      sleep 0.1; j=$((j+1))
    done
  elif [ "$prog" = ntpd ]; then
    while [ $j -lt 50 ] && ! startlines | grep -q -e 'Listen' -e 'Listening'; do sleep 0.1; j=$((j+1)); done
  fi
  kill -0 "$pid" 2>/dev/null || sec died
else
  L=$L0
fi
[ -n "$L" ] && val logfile "$L"
sec log
startlines | tail -n 200
sec end
