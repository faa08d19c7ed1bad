# shellcheck shell=sh
# chrony's part of verify's probe (dev.ntpdeploy.facts.NtpProbe for a chrony host): runs in the same exec, in
# front of ntp-probe.sh (RemoteScript "chronyc-probe.sh+ntp-probe.sh"), so a chrony host still costs one round
# trip. chronyc is C and answers over chronyd's Unix socket (as root) at once, or prints 506 at once.
#
# Arguments: as ntp-probe.sh (CONF TOOL ROLE).
# Sections: chronyc.tracking, chronyc.sources, chronyc.sourcestats, each followed by its .rc; on a master also
# chronyc.clients (the hosts whose NTP requests chronyd logged: the master's end of the check from both ends; root
# only), its .rc and its .at (when it was read, to age it to the probe's end: ntp-probe.sh's probe.at).
for q in tracking sources sourcestats clients; do
  if [ "$q" = clients ] && [ "${3:-}" != master ]; then continue; fi
  sec "chronyc.$q"
  if command -v chronyc >/dev/null 2>&1; then
    chronyc -n -c "$q" 2>&1; rc=$?
  else
    echo 'chronyc: command not found'; rc=127
  fi
  val "chronyc.$q.rc" "$rc"
done
if [ "${3:-}" = master ]; then val chronyc.clients.at "$(date +%s)"; fi
