# shellcheck shell=sh
# The parameters and restart_check are defined by the text ChangeUnit puts in front of this one:
# shellcheck disable=SC2154
# ntpdeploy's change unit: install + restart + start check + rollback on ONE host, as one unit that completes
# even when the controller or its connection goes away. Built by dev.ntpdeploy.ops.ChangeUnit, which puts the
# parameters (every one quoted) and the restart_check function in front of this text; parsed by UnitReport.
#
# Parameters: target dir mode owner_group (the file), new_size new_sha (what the controller sends on stdin;
# empty new_sha = no install), old_sha (the file's sha256 as this run's probe saw it, or "absent": compare and
# swap), keep (visible backups, 0 = none), restart (1 = restart and check), old_pid (the daemon before it),
# run_id me (this run, and the owner line written into the lock file),
# lock state (lock file, state directory), config_error (ERE of ntpd's config error lines), budget (seconds the
# detached part may take).
#
# Two phases of the same text ($phase):
#   stage (in the SSH session): take the host's lock (flock -n: a second controller fails at once and is told who
#         holds it), receive the content into a temp file beside the target and check its length and sha256:
#         a short or corrupted upload is removed and nothing else happens. Then start the work phase detached
#         (setsid, no terminal, no pipe to the session) and wait for its report.
#   work  (detached, holds the lock through the inherited descriptor until it exits): compare and swap, backup,
#         rename, restart, start check, rollback when the daemon rejects the new file; the report goes to
#         $state/$run_id.out, renamed to .done when complete. The stage phase prints it; when nobody is left to
#         print it, the next run's probe finds it.
# Output: KEY=value lines (UNIT_*, LOCKED, INCOMPLETE, CHANGED_SINCE_PROBE, BACKUP, INSTALLED, START.*, ROLLBACK,
# AGAIN.*); stderr of the steps goes to the report as ERR= lines.

say() { printf '%s\n' "$*"; }

if [ "$phase" = stage ]; then
  umask 077
  if ! command -v flock >/dev/null 2>&1 || ! command -v setsid >/dev/null 2>&1; then
    say "UNIT_ERROR=flock and setsid are needed on the host (package util-linux)"; exit 0
  fi
  mkdir -p "${lock%/*}" "$state" || { say "UNIT_ERROR=cannot create ${lock%/*} or $state"; exit 0; }
  exec 9>>"$lock" || { say "UNIT_ERROR=cannot open the lock file $lock"; exit 0; }
  if ! flock -n 9; then
    holder=$(head -n 1 "$lock" 2>/dev/null)
    say "LOCKED=${holder:-another run (its owner line is not written yet)}"; exit 0
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
    say "UNIT_CUT=1" >> "$f" && mv -f -- "$f" "${f%.out}.done"
  done
  tmp=
  trap '[ -n "$tmp" ] && rm -f -- "$tmp"' EXIT
  trap 'exit 129' HUP INT TERM PIPE
  if [ -n "$new_sha" ]; then
    tmp=$(mktemp "$dir/.ntpdeploy.XXXXXX") || { say "UNIT_ERROR=cannot create a temp file in $dir"; exit 0; }
    cat > "$tmp" || { say "UNIT_ERROR=cannot write $tmp"; exit 0; }
    size=$(wc -c < "$tmp"); size=$((size + 0))
    sum=$(sha256sum < "$tmp"); sum=${sum%% *}
    if [ "$size" != "$new_size" ] || [ "$sum" != "$new_sha" ]; then
      say "INCOMPLETE=$size $sum"; exit 0
    fi
  fi
  out="$state/$run_id.out"
  done="$state/$run_id.done"
  rm -f -- "$out" "$done"
  export unit tmp
  # shellcheck disable=SC2016 # $unit is expanded by the detached shell, from its environment
  setsid timeout -k 5 "$budget" sh -c 'phase=work; eval "$unit"' </dev/null >/dev/null 2>&1 &
  wpid=$!
  tmp=
  exec 9>&-
  wait "$wpid"
  # should setsid have forked, wait returned at once: the lock tells when the work phase is over
  while [ ! -e "$done" ] && ! flock -n "$lock" true; do sleep 0.1; done
  if [ -e "$done" ]; then
    cat -- "$done" && rm -f -- "$done"
  else
    say "UNIT_LOST=the detached part ended without a report (killed after ${budget} s?)"
    [ -e "$out" ] && sed 's/^/PARTIAL./' "$out" && rm -f -- "$out"
  fi
  exit 0
fi

# ---- phase work: detached, the lock is held through fd 9 until this process exits
out="$state/$run_id.out"
exec 3>"$out" 2>"$state/$run_id.err"
put() { printf '%s\n' "$*" >&3; }
errs() {
  [ -s "$state/$run_id.err" ] && sed 's/^/ERR=/' "$state/$run_id.err" >&3
  : > "$state/$run_id.err"
}
prev=
finish() {
  [ -n "$prev" ] && rm -f -- "$prev"
  [ -n "$tmp" ] && rm -f -- "$tmp"
  errs
  put "UNIT_END=1"
  rm -f -- "$state/$run_id.err"
  mv -f -- "$out" "$state/$run_id.done"
  exit 0
}
put "UNIT=$me"
if [ -n "$tmp" ]; then
  if [ -e "$target" ]; then cur=$(sha256sum < "$target"); cur=${cur%% *}; else cur=absent; fi
  if [ "$cur" != "$old_sha" ]; then
    put "CHANGED_SINCE_PROBE=$cur"; finish
  fi
  if ! chmod "$mode" "$tmp" || ! chown "$owner_group" "$tmp"; then
    put "UNIT_ERROR=cannot set mode $mode and owner $owner_group on the new file"; finish
  fi
  # same bytes (a mode/owner fix): keep the file's age, the running daemon has read this content
  [ "$cur" = "$new_sha" ] && touch -r "$target" "$tmp"
  if [ "$cur" != absent ]; then
    # the rollback's copy: a second name for the current inode (no copy), else a real copy
    prev="$dir/.ntpdeploy.prev.$run_id"
    ln -- "$target" "$prev" 2>/dev/null || cp -p -- "$target" "$prev" || {
      put "UNIT_ERROR=cannot keep a copy of $target for the rollback"; finish; }
    if [ "$keep" -gt 0 ]; then
      backup="$target.ntpdeploy-$(date +%Y%m%dT%H%M%S)"
      if cp -p -- "$target" "$backup"; then
        put "BACKUP=$backup"
        set -- "$target".ntpdeploy-[0-9]*
        n=$(($# - keep))
        while [ "$n" -gt 0 ]; do rm -f -- "$1"; shift; n=$((n - 1)); done
      fi
    fi
  fi
  if ! mv -f -- "$tmp" "$target"; then
    put "UNIT_ERROR=cannot rename the new file over $target"; finish
  fi
  tmp=
  put "INSTALLED=1"
fi
[ "$restart" = 1 ] || finish

errs
# the daemon a service script starts would inherit the lock (fd 9) and hold it for good: close it, and the report
first=$(restart_check "$old_pid" 3>&- 9>&-)
printf '%s\n' "$first" | sed 's/^/START./' >&3
errs
new_pid=$(printf '%s\n' "$first" | sed -n 's/^NTPD_PID=//p' | head -n 1)
good=1
[ -n "$new_pid" ] || good=0
printf '%s\n' "$first" | grep -q '^DIED=1' && good=0
printf '%s\n' "$first" | grep '^LOG=' | grep -qiE "$config_error" && good=0
if [ "$good" = 1 ] || [ -z "$new_sha" ] || [ "$cur" = "$new_sha" ]; then
  finish
fi
# the daemon rejected the new file: put the previous one back, unless someone else changed it meanwhile
now=$(sha256sum < "$target" 2>/dev/null); now=${now%% *}
if [ "$now" != "$new_sha" ]; then
  put "ROLLBACK=skipped: $target changed again since this run installed it"; finish
elif [ -n "$prev" ]; then
  if mv -f -- "$prev" "$target"; then prev=; put "ROLLBACK=restored"; else put "ROLLBACK=failed"; finish; fi
else
  if rm -f -- "$target"; then put "ROLLBACK=removed"; else put "ROLLBACK=failed"; finish; fi
fi
errs
restart_check "$new_pid" 3>&- 9>&- | sed 's/^/AGAIN./' >&3
finish
