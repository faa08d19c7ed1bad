package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.Shell;
import dev.ntpdeploy.transport.RemoteCommand;
import java.util.OptionalLong;

/**
 * Ensures the daemon runs on the current config: restart it through the host's service manager,
 * then check it came back and logged no config error for this start.
 *
 * @param service  unit/script name (ntpsec, ntp, ntpd or the inventory's ntp_service)
 * @param manager  how to restart it
 * @param oldPid   the daemon's PID before the restart (to wait for a new one and find its log)
 * @param reason   {@link #CONFIG_CHANGED}, {@link #NOT_RUNNING} or {@link #STALE}
 */
public record RestartService(String service, ServiceManager manager, OptionalLong oldPid, String reason)
        implements Step {

    /** The reason for restarting a daemon that runs but started before its config file last changed. */
    public static final String STALE = "config changed after ntpd started";
    /** The reason for (re)starting after the content changed. */
    public static final String CONFIG_CHANGED = "config changed";
    /** The reason for starting a daemon that does not run. */
    public static final String NOT_RUNNING = "ntpd not running";

    @Override
    public String describe() {
        return (oldPid.isPresent() ? "restarted " : "started ") + service;
    }

    /**
     * Shell text defining {@code restart_check OLD_PID} (plus the helper {@code my_ntpd}): restart, wait (on
     * conditions, bounded) for this host's new ntpd and for it to finish reading its config, then print its startup
     * lines from its {@code -l} log file (read from where the old daemon's log ended) or, on systemd, from the
     * journal since the restart. Parsed by {@link dev.ntpdeploy.facts.DaemonStartLog}. Run inside the change unit
     * ({@link ChangeUnit}), once for the new config and once more after a rollback.
     */
    public String checkFunction() {
        return Shell.myNtpdFunction() + """
                logof() {
                  tr '\\000' '\\n' < /proc/$1/cmdline 2>/dev/null | awk '
                    p { print; exit }
                    $0 == "-l" || $0 == "--logfile" { p = 1; next }
                    /^--logfile=/ { sub(/^--logfile=/, ""); print; exit }
                    /^-l./ { print substr($0, 3); exit }'
                }
                restart_check() (
                svc=%s
                old=${1:-}
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
                [ -n "$L0" ] && [ -f "$L0" ] && S0=$(stat -c %%s "$L0")
                T0=$(date +%%s)
                out=$( { %s; } 2>&1 ); rc=$?
                echo "RESTART_RC=$rc"
                printf '%%s\\n' "$out" | tail -n 20 | sed 's/^/RESTART_OUT=/'
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
                    [ "$L" = "$L0" ] && [ "$(stat -c %%s "$L")" -ge "$S0" ] && S=$S0
                    if [ "$S" -gt 0 ] || [ -z "$pid" ]; then tail -c +$((S + 1)) "$L"
                    else grep -F "[$pid]" "$L"; fi
                  elif [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then
                    journalctl -u "$svc" --since "@$T0" --no-pager -q -o short 2>/dev/null
                  fi
                }
                L=""
                if [ -n "$pid" ]; then
                  echo "NTPD_PID=$pid"
                  L=$(logof "$pid")
                  j=0
                  while [ $j -lt 50 ] && ! startlines | grep -q -e 'Listen' -e 'Listening'; do sleep 0.1; j=$((j+1)); done
                  kill -0 "$pid" 2>/dev/null || echo "DIED=1"
                else
                  L=$L0
                fi
                [ -n "$L" ] && echo "LOGFILE=$L"
                startlines | tail -n 200 | sed 's/^/LOG=/'
                echo "END=1"
                )
                """.formatted(RemoteCommand.quote(service), manager.restartCommand("\"$svc\""));
    }
}
