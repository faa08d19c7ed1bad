# shellcheck shell=sh
# verify's probe (dev.ntpdeploy.facts.NtpProbe): the one command run per host per verification round. One round
# trip gives the billboard, rv, the daemons' ages, who owns UDP 123, the config's hash and age, and recent
# CONFIG/error/panic log lines.
#
# Arguments: CONF, the config file this host's daemon reads; TOOL, the daemon's query tool (ntpq, or chronyc: then
# ntpq is not run, chronyc-probe.sh in front did the asking); ROLE, master or client.
# Sections: ntpq (billboard then rv) and ntpq.rc (TOOL ntpq only); on an ntpd master that answered, ntpq.mrulist
# (mru_enabled, then the MRU list: the hosts whose requests ntpd logged, the master's end of the check from both
# ends), its .rc and .at; procs, udp123, conf, confage, log; on a master probe.at (the probe's end, to age the list
# to); end.
#
# Budget: billboard and rv come from one ntpq call (NTPsec's Python ntpq costs ~0.13 CPU-s per start, which is
# most of the probe's cost on a small host). ntpq's own "timeout" command (classic and NTPsec) cuts each
# unanswered request to 1 s instead of 5; ntpq tries twice, so a non-answering daemon costs ~4 s for both
# requests instead of ~20 s. A local daemon answers in well under a millisecond. Log reading is bounded to 1 s.
# Run it without a pty (a tty widens NTPsec's columns) and privileged (process names in ss, the journal).
# The MRU list is asked only of a master whose ntpd answered rv (a dead daemon would cost another ~4 s of
# timeouts), in a second ntpq call (its text is not split from rv's), bounded to 5 s: NTPsec's Python ntpq pages
# through a long list.
conf=$1 tool=${2:-ntpq} role=${3:-client}
if command -v timeout >/dev/null 2>&1; then T1='timeout 1' T5='timeout 5'; else T1='' T5=''; fi
if [ "$tool" = ntpq ]; then
  sec ntpq
  if command -v ntpq >/dev/null 2>&1; then
    out=$(ntpq -n -c 'timeout 1000' -c peers -c rv 2>&1); rc=$?
    printf '%s\n\n' "$out"; sec ntpq.rc; echo $rc
    case $role:$out in master:*associd=*)
      sec ntpq.mrulist
      # shellcheck disable=SC2086 # $T5 is a command prefix or nothing
      $T5 ntpq -n -c 'timeout 1000' -c 'rv 0 mru_enabled' -c mrulist 2>&1
      val ntpq.mrulist.rc $?; val ntpq.mrulist.at "$(date +%s)" ;;
    esac
  else echo 'ntpq: command not found'; sec ntpq.rc; echo 127; fi
fi
# each time daemon (systemd-timesyncd's comm is cut to 15 characters) with its network namespace, and this
# shell's ($$) to compare with; a ps without the netns column (busybox, old procps) fails at once and the plain
# list is taken instead
sec procs; echo "self $$"; ps -o pid=,etimes=,netns=,comm= -p $$ -C ntpd,chronyd,systemd-timesyn 2>/dev/null \
  || ps -o pid=,etimes=,comm= -C ntpd,chronyd,systemd-timesyn 2>/dev/null
sec udp123
if command -v ss >/dev/null 2>&1; then echo tool=ss; ss -Hulpn 'sport = :123' 2>/dev/null;
elif command -v netstat >/dev/null 2>&1; then echo tool=netstat; netstat -ulpn 2>/dev/null | grep ':123 ';
else echo tool=none; fi
sec conf
if [ -e "$conf" ]; then sha256sum -- "$conf" 2>&1 || echo unreadable; else echo missing; fi
# seconds since the file last changed, on the host's clock (ConfigAge compares it with ntpd's age)
sec confage
[ -e "$conf" ] && echo $(( $(date +%s) - $(stat -c %Y -- "$conf") ))
sec log
# The running daemon's own CONFIG/error/panic lines, the last 20, wherever they are: only lines of its pid, and
# those ntpsec stamps itself (ISO time) no older than its start (a pid can come back). Resetting at every
# "Starting" line let an older daemon's start, in a file read later, hide the running daemon's errors. With no ntpd
# running, the last daemon's lines since its start (a panic exit). One ps and one date: each process costs.
pid=$(my_ntpd); since=''
if [ -n "$pid" ]; then
  et=$(ps -o etimes= -p "$pid" 2>/dev/null)
  [ -n "$et" ] && since=$(date -d "-$(( et + 2 )) seconds" +%Y-%m-%dT%H:%M:%S 2>/dev/null)
fi
# shellcheck disable=SC2086 # $T1 is a command prefix or nothing
{ if command -v journalctl >/dev/null 2>&1; then $T1 journalctl -q --no-pager -n 300 \
    -u ntpsec -u ntp -u ntpd 2>/dev/null; fi
  for f in /var/log/ntpsec/ntpd.log /var/log/ntp.log /var/log/syslog /var/log/messages; do
    [ -r "$f" ] && $T1 tail -n 500 "$f"; done; } 2>/dev/null \
  | awk -v pid="$pid" -v since="$since" '
    !/ntpd/ { next }
    pid != "" && index($0, "ntpd[" pid "]:") == 0 { next }
    pid != "" && since != "" && $1 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ && substr($1, 1, 19) < since { next }
    pid == "" && /: Starting|Command line:/ { n = 0 }
    /CONFIG|[Ee]rror|[Pp]anic/ { l[++n] = $0 }
    END { for (i = n > 20 ? n - 19 : 1; i <= n; i++) print l[i] }'
if [ "$role" = master ]; then val probe.at "$(date +%s)"; fi
sec end
