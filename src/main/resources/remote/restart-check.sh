# shellcheck shell=sh
# The restart check (dev.ntpdeploy.ops.RestartService, parsed by dev.ntpdeploy.facts.DaemonStartLog): restart
# the service, wait (on conditions, bounded) for this host's new ntpd and for it to finish reading its config,
# then print its startup lines from its -l log file (read from where the old daemon's log ended) or, on systemd,
# from the journal since the restart. The change unit runs it as its function restart_check (this text in a
# subshell), once for the new config and once more after a rollback; run alone, it is the fact of the captures.
#
# Arguments: SERVICE (unit or script name), MANAGER (systemd, service, init.d: ServiceManager's words), OLD_PID
# (the daemon before the restart, or empty).
# Sections: restart_rc, restart_out, ntpd_pid, died, logfile, log, end.
svc=$1
svcmgr=$2
old=${3:-}
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
if [ -z "$L0" ]; then
  for f in /var/log/ntpsec/ntpd.log /var/log/ntp.log /var/log/ntpd.log; do
    [ -f "$f" ] && { L0=$f; break; }
  done
fi
[ -n "$L0" ] && [ -f "$L0" ] && S0=$(stat -c %s "$L0")
T0=$(date +%s)
out=$(restart 2>&1); rc=$?
val restart_rc "$rc"
sec restart_out
printf '%s\n' "$out" | tail -n 20
limit=100; [ "$rc" -ne 0 ] && limit=20
i=0; pid=""
while [ $i -lt $limit ]; do
  pid=$(my_ntpd)
  [ -n "$pid" ] && [ "$pid" != "$old" ] && break
  pid=""; sleep 0.1; i=$((i+1))
done
startlines() {
  if [ -n "$L" ] && [ -f "$L" ]; then
    S=0
    [ "$L" = "$L0" ] && [ "$(stat -c %s "$L")" -ge "$S0" ] && S=$S0
    if [ "$S" -gt 0 ] || [ -z "$pid" ]; then tail -c +$((S + 1)) "$L"
    else grep -F "[$pid]" "$L"; fi
  elif [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then
    journalctl -u "$svc" --since "@$T0" --no-pager -q -o short 2>/dev/null
  fi
}
L=""
if [ -n "$pid" ]; then
  val ntpd_pid "$pid"
  L=$(logof "$pid")
  j=0
  while [ $j -lt 50 ] && ! startlines | grep -q -e 'Listen' -e 'Listening'; do sleep 0.1; j=$((j+1)); done
  kill -0 "$pid" 2>/dev/null || sec died
else
  L=$L0
fi
[ -n "$L" ] && val logfile "$L"
sec log
startlines | tail -n 200
sec end
