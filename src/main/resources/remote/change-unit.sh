# shellcheck shell=sh
# ntpdeploy's change unit: install + restart + start check + rollback on ONE host, as one unit that completes
# even when the controller or its connection goes away. Built by dev.ntpdeploy.ops.ChangeUnit, which puts
# common.sh and restart-check.sh (as the function restart_check) in front of this text and the arguments before
# it; parsed by UnitReport.
#
# Arguments: target dir mode owner_group (the file), new_size new_sha (what the controller sends on stdin;
# empty new_sha = no install), old_sha (the file's sha256 as this run's probe saw it, or "absent": compare and
# swap), keep (visible backups, 0 = none), restart (1 = restart and check), old_pid (the daemon before it),
# run_id me (this run, and the owner line written into the lock file), lock state (lock file, state directory),
# config_error (ERE of the daemon's config error lines), budget (seconds the detached part may take), svc svcmgr (the
# service and its manager, for restart_check), competitors ("UNIT:COMM ..." the host's other time daemons to stop
# and disable, ops.SoleDaemon; empty: none), restart_after (1 = start svc again once they are gone),
# managed_pid (the daemon before this run, for that start when the unit did not restart it first), enable_managed
# (1 = enable svc's unit, ops.SoleDaemon), check (the daemon that checks the new file before it is installed:
# "chronyd" runs chronyd -p -f FILE; empty: none), prog (the daemon's program, ntpd or chronyd, for restart_check).
#
# Two phases of the same text ($phase):
#   stage (in the SSH session): take the host's lock (flock -n: a second controller fails at once and is told who
#         holds it), receive the content into a temp file beside the target and check its length and sha256:
#         a short or corrupted upload is removed and nothing else happens; the daemon's own check of the new
#         file, when it has one: a rejected file is removed (its message, naming the target's line, is the
#         section config_rejected) and nothing else happens. Then start the work phase detached
#         (setsid, no terminal, no pipe to the session, the same arguments) and wait for its report.
#   work  (detached, holds the lock through the inherited descriptor until it exits): compare and swap, backup,
#         rename, restart, start check, rollback when the daemon rejects the new file; the report goes to
#         $state/$run_id.out, renamed to .done when complete. The stage phase prints it; when nobody is left to
#         print it, the next run's probe finds it.
# Sections (common.sh's format): unit_error, locked, incomplete, config_rejected, unit_lost (then the partial
# report), unit, changed_since_probe, backup, installed, start.* (restart_check's sections), rollback, again.*
# (after the rollback), managed ("UNIT ENABLED-STATE" after enabling it), competitor (repeated: "UNIT stopped|running
# ENABLED-STATE"), after.* (the start once they are gone),
# err (stderr of the steps), unit_cut, unit_end.
# $phase and $unit are set by the text that evaluates this one:
# shellcheck disable=SC2154
target=$1 dir=$2 mode=$3 owner_group=$4 new_size=$5 new_sha=$6 old_sha=$7 keep=$8 restart=$9
old_pid=${10} run_id=${11} me=${12} lock=${13} state=${14} config_error=${15} budget=${16} svc=${17} svcmgr=${18}
competitors=${19:-} restart_after=${20:-0} managed_pid=${21:-} enable_managed=${22:-0} check=${23:-} prog=${24:-ntpd}

say() { printf '%s\n' "$*"; }

if [ "$phase" = stage ]; then
  umask 077
  if ! command -v flock >/dev/null 2>&1 || ! command -v setsid >/dev/null 2>&1; then
    val unit_error "flock and setsid are needed on the host (package util-linux)"; exit 0
  fi
  mkdir -p "${lock%/*}" "$state" || { val unit_error "cannot create ${lock%/*} or $state"; exit 0; }
  exec 9>>"$lock" || { val unit_error "cannot open the lock file $lock"; exit 0; }
  if ! flock -n 9; then
    holder=$(head -n 1 "$lock" 2>/dev/null)
    val locked "${holder:-another run (its owner line is not written yet)}"; exit 0
  fi
  # a new open of the same file: truncates and writes the owner line, the lock (on fd 9) stays
  say "$me" > "$lock"
  # holding the lock, any temp file of ours beside the target belongs to a run that died: remove it
  for f in "$dir"/.ntpdeploy.*; do
    [ -e "$f" ] && rm -f -- "$f"
  done
  # a work phase that died with the lock left its report unfinished: keep it for the next probe, marked cut
  for f in "$state"/*.out; do
    [ -e "$f" ] || continue
    sec unit_cut >> "$f" && mv -f -- "$f" "${f%.out}.done"
  done
  tmp=
  trap '[ -n "$tmp" ] && rm -f -- "$tmp"' EXIT
  trap 'exit 129' HUP INT TERM PIPE
  if [ -n "$new_sha" ]; then
    tmp=$(mktemp "$dir/.ntpdeploy.XXXXXX") || { val unit_error "cannot create a temp file in $dir"; exit 0; }
    cat > "$tmp" || { val unit_error "cannot write $tmp"; exit 0; }
    size=$(wc -c < "$tmp"); size=$((size + 0))
    sum=$(sha256sum < "$tmp"); sum=${sum%% *}
    if [ "$size" != "$new_size" ] || [ "$sum" != "$new_sha" ]; then
      val incomplete "$size $sum"; exit 0
    fi
    if [ "$check" = chronyd ]; then
      if ! command -v chronyd >/dev/null 2>&1; then
        val unit_error "chronyd is not installed: cannot check the new file"; exit 0
      fi
      if ! said=$(chronyd -p -f "$tmp" 2>&1 >/dev/null); then
        # its message (on stderr; stdout is the config as parsed) names the temp file: name the target instead
        sec config_rejected
        printf '%s\n' "$said" | tail -n 5 | while IFS= read -r l; do
          case $l in *"$tmp"*) l="${l%%"$tmp"*}$target${l#*"$tmp"}" ;; esac
          printf '%s\n' "$l"
        done
        exit 0
      fi
    fi
  fi
  out="$state/$run_id.out"
  done="$state/$run_id.done"
  rm -f -- "$out" "$done"
  export unit tmp
  # shellcheck disable=SC2016 # $unit is expanded by the detached shell, from its environment
  setsid timeout -k 5 "$budget" sh -c 'phase=work; eval "$unit"' ntpdeploy-unit "$@" </dev/null >/dev/null 2>&1 &
  wpid=$!
  tmp=
  exec 9>&-
  wait "$wpid"
  # should setsid have forked, wait returned at once: the lock tells when the work phase is over
  while [ ! -e "$done" ] && ! flock -n "$lock" true; do sleep 0.1; done
  if [ -e "$done" ]; then
    cat -- "$done" && rm -f -- "$done"
  else
    val unit_lost "the detached part ended without a report (killed after ${budget} s?)"
    [ -e "$out" ] && cat -- "$out" && rm -f -- "$out"
  fi
  exit 0
fi

# ---- phase work: detached, the lock is held through fd 9 until this process exits
out="$state/$run_id.out"
exec 3>"$out" 2>"$state/$run_id.err"
put() { val "$1" "$2" >&3; }
errs() {
  [ -s "$state/$run_id.err" ] && { sec err; cat -- "$state/$run_id.err"; } >&3
  : > "$state/$run_id.err"
}
prev=
finish() {
  [ -n "$prev" ] && rm -f -- "$prev"
  [ -n "$tmp" ] && rm -f -- "$tmp"
  errs
  sec unit_end >&3
  rm -f -- "$state/$run_id.err"
  mv -f -- "$out" "$state/$run_id.done"
  exit 0
}
put unit "$me"

# ---- the one time daemon (ops.SoleDaemon), called only once the managed daemon runs its config: a failed start
# (rolled back or not) never gets here, so the old daemon keeps running and enabled. The managed unit is enabled,
# and each competing daemon is stopped
# through the service manager and disabled, then waited for: a stop may return before the daemon is gone (the
# lab's chronyd), and the managed daemon's start after must find UDP 123 free.
alive() {  # the pids of this host's live processes named $1 (this network namespace; zombies do not count)
  ps_out=$(pgrep -x --ns $$ --nslist net "$1" 2>/dev/null)
  if [ $? -eq 2 ]; then
    ns=$(readlink /proc/self/ns/net); ps_out=
    for p in $(pgrep -x "$1" 2>/dev/null); do
      [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$ns" ] && ps_out="$ps_out $p"
    done
  fi
  for p in $ps_out; do
    st=; read -r _ _ st _ 2>/dev/null < "/proc/$p/stat"
    [ -n "$st" ] && [ "$st" != Z ] && printf '%s ' "$p"
  done
}
only_one() {  # $1: the managed daemon's pid now
  if [ "$enable_managed" = 1 ]; then
    en=unknown
    if command -v systemctl >/dev/null 2>&1; then
      o=$(systemctl enable "$svc" 2>&1 3>&- 9>&-) || say "enable $svc: $o" >&2
      en=$(systemctl is-enabled "$svc" 2>/dev/null 3>&- 9>&-)
    fi
    put managed "$svc ${en:-unknown}"
  fi
  [ -n "$competitors" ] || { errs; return 0; }
  for c in $competitors; do
    u=${c%%:*} comm=${c#*:}
    o=$(case $svcmgr in
          systemd) systemctl stop "$u" ;;
          service) service "$u" stop ;;
          init.d) "/etc/init.d/$u" stop ;;
          *) echo "no service manager to stop $u"; false ;;
        esac 2>&1 3>&- 9>&-) || say "stop $u: $o" >&2
    if command -v systemctl >/dev/null 2>&1; then
      o=$(systemctl disable "$u" 2>&1 3>&- 9>&-) || say "disable $u: $o" >&2
      en=$(systemctl is-enabled "$u" 2>/dev/null 3>&- 9>&-)
    else
      en=unknown
    fi
    i=0
    while [ $i -lt 100 ] && [ -n "$(alive "$comm")" ]; do sleep 0.1; i=$((i + 1)); done
    if [ -n "$(alive "$comm")" ]; then run=running; else run=stopped; fi
    put competitor "$u $run ${en:-unknown}"
  done
  errs
  [ "$restart_after" = 1 ] || return 0
  restart_check "$svc" "$svcmgr" "$1" "$prog" 3>&- 9>&- | sed 's/^@@ntpdeploy:/@@ntpdeploy:after./' >&3
  errs
}

if [ -n "$tmp" ]; then
  if [ -e "$target" ]; then cur=$(sha256sum < "$target"); cur=${cur%% *}; else cur=absent; fi
  if [ "$cur" != "$old_sha" ]; then
    put changed_since_probe "$cur"; finish
  fi
  if ! chmod "$mode" "$tmp" || ! chown "$owner_group" "$tmp"; then
    put unit_error "cannot set mode $mode and owner $owner_group on the new file"; finish
  fi
  # same bytes (a mode/owner fix): keep the file's age, the running daemon has read this content
  [ "$cur" = "$new_sha" ] && touch -r "$target" "$tmp"
  if [ "$cur" != absent ]; then
    # the rollback's copy: a second name for the current inode (no copy), else a real copy
    prev="$dir/.ntpdeploy.prev.$run_id"
    ln -- "$target" "$prev" 2>/dev/null || cp -p -- "$target" "$prev" || {
      put unit_error "cannot keep a copy of $target for the rollback"; finish; }
    if [ "$keep" -gt 0 ]; then
      backup="$target.ntpdeploy-$(date +%Y%m%dT%H%M%S)"
      if cp -p -- "$target" "$backup"; then
        put backup "$backup"
        set -- "$target".ntpdeploy-[0-9]*
        n=$(($# - keep))
        while [ "$n" -gt 0 ]; do rm -f -- "$1"; shift; n=$((n - 1)); done
      fi
    fi
  fi
  if ! mv -f -- "$tmp" "$target"; then
    put unit_error "cannot rename the new file over $target"; finish
  fi
  tmp=
  sec installed >&3
fi
[ "$restart" = 1 ] || { only_one "$managed_pid"; finish; }

errs
# the daemon a service script starts would inherit the lock (fd 9) and hold it for good: close it, and the report
first=$(restart_check "$svc" "$svcmgr" "$old_pid" "$prog" 3>&- 9>&-)
printf '%s\n' "$first" | sed 's/^@@ntpdeploy:/@@ntpdeploy:start./' >&3
errs
new_pid=$(printf '%s\n' "$first" | sed -n '/^@@ntpdeploy:pid@@$/{n;p;q;}')
good=1
[ -n "$new_pid" ] || good=0
printf '%s\n' "$first" | grep -qx '@@ntpdeploy:died@@' && good=0
printf '%s\n' "$first" | sed -n '/^@@ntpdeploy:log@@$/,$p' | grep -qiE "$config_error" && good=0
if [ "$good" = 1 ]; then
  only_one "$new_pid"; finish
fi
if [ -z "$new_sha" ] || [ "$cur" = "$new_sha" ]; then
  finish
fi
# the daemon rejected the new file: put the previous one back, unless someone else changed it meanwhile
now=$(sha256sum < "$target" 2>/dev/null); now=${now%% *}
if [ "$now" != "$new_sha" ]; then
  put rollback "skipped: $target changed again since this run installed it"; finish
elif [ -n "$prev" ]; then
  if mv -f -- "$prev" "$target"; then prev=; put rollback restored; else put rollback failed; finish; fi
else
  if rm -f -- "$target"; then put rollback removed; else put rollback failed; finish; fi
fi
errs
restart_check "$svc" "$svcmgr" "$new_pid" "$prog" 3>&- 9>&- | sed 's/^@@ntpdeploy:/@@ntpdeploy:again./' >&3
finish
