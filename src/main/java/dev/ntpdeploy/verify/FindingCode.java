package dev.ntpdeploy.verify;

import static dev.ntpdeploy.verify.Severity.CRITICAL;
import static dev.ntpdeploy.verify.Severity.INFO;
import static dev.ntpdeploy.verify.Severity.WARNING;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings catalogue: every code verify can report, in one place each: its severity (and when a rule may lower
 * it), whether it leaves the host's state unknown, what it means (the findings table of docs/verify.md is generated
 * from {@link #summary()}: FindingsTableTest), and the message and fix an operator reads, as templates over named
 * parameters ({@link FindingTemplate}). The rules decide when a finding applies and fill its parameters;
 * {@link HostContext} adds the ones every text may use: {@code host}, {@code service}, {@code confPath},
 * {@code daemon} (the daemon's program name) and {@code daemonAge} ("ntpd started 42 s ago").
 *
 * <p>A code whose cause is told in different sentences has named variants ({@link #text(String)}); they share the
 * code's severity and meaning. Codes are an interface (scripts, watch hooks, metrics read them): never rename one.
 */
public enum FindingCode {

    // ---------------------------------------------------------------- reaching the host
    SSH_UNREACHABLE(WARNING, Unknown.STATE, "SSH failed: state unknown",
            text("cannot reach {{host}} over SSH: {{reason}}",
                    "check the host is up and its SSH address/port/key in the inventory")),
    BECOME_REFUSED(WARNING, Unknown.STATE, "logged in, but sudo refused to run the probe as root: state unknown",
            text("sudo refused the probe on {{host}}: {{reason}}",
                    "fix sudo for ansible_user on the host (sudoers, or NTPDEPLOY_BECOME_PASSWORD / --ask-become-pass);"
                            + " SSH itself works")),
    PROBE_INCOMPLETE(WARNING, "the probe was cut short (e.g. by the remote command timeout): some facts are missing",
            text("the probe on {{host}} was cut short: some facts are missing",
                    "re-run; if it persists, check the host's load and SSH session limits")),

    // ---------------------------------------------------------------- the config file
    CONFIG_MISSING(CRITICAL, "the config file is absent",
            text("{{confPath}} does not exist on {{host}}: {{daemon}} runs without the configuration ntpdeploy renders",
                    "run `ntpdeploy apply --dry-run` to see what would be written, then `ntpdeploy apply`")),
    CONFIG_DRIFT(WARNING, "config sha256 differs from the rendered one: `ntpdeploy apply --dry-run`",
            text("{{confPath}} on {{host}} differs from what the inventory renders (edited on the host?)",
                    "suggest `ntpdeploy apply --dry-run` to see the difference, then `ntpdeploy apply`")),
    CONFIG_NOT_LOADED(WARNING, "the config file changed after the running daemon started (an interrupted apply, an"
            + " edit without restart): `ntpdeploy apply` restarts it",
            text("{{confPath}} on {{host}} changed {{configAge}} s ago, after {{daemon}} started ({{uptime}} s ago):"
                            + " the running daemon never read it (an interrupted apply, or an edit without a restart)",
                    "`ntpdeploy apply` (restarts {{daemon}} where it runs an older config), or `systemctl restart"
                            + " {{service}}` on the host")),
    CONFIG_REJECTED_LINES(WARNING, "ntpd logged `CONFIG: … syntax error` and runs without the line",
            text("{{daemon}} rejected lines of its configuration and runs without them: {{line}}",
                    "correct the line (e.g. classic `discard` is a syntax error in NTPsec: use `limit`), then"
                            + " `ntpdeploy apply`")),

    // ---------------------------------------------------------------- the daemon and its query tool
    CHRONY_UNSUPPORTED(CRITICAL, "chronyd runs where the inventory manages ntpd (ntp_flavor ntp or ntpsec)",
            text("chronyd runs on {{host}}, not ntpd: the inventory manages ntpd here",
                    "to keep chrony, set `ntp_flavor: chrony` for {{host}} and `ntpdeploy apply`; to run ntpd, stop"
                            + " and disable chronyd (`systemctl disable --now chronyd`), then `ntpdeploy apply`")),
    TWO_DAEMONS(CRITICAL, "ntpd and chronyd run side by side: only one can own UDP 123",
            text("both ntpd and chronyd run on {{host}}: only one can own UDP 123"
                            + "{{#owners}} (UDP 123 owned by {{owners}}){{/owners}}",
                    "{{#applyStopsOther}}`ntpdeploy apply` stops and disables {{other}} once {{service}} runs its"
                            + " config{{/applyStopsOther}}{{^applyStopsOther}}stop and disable {{other}} (`systemctl"
                            + " disable --now {{other}}`), then `systemctl restart {{service}}` (apply switches daemons"
                            + " only where ntp_flavor is declared and ntp_disable_competitors is not false)"
                            + "{{/applyStopsOther}}")),
    TIMESYNCD_RUNNING(CRITICAL, "systemd-timesyncd runs beside the managed daemon: both set the clock",
            text("systemd-timesyncd runs on {{host}} beside {{daemon}}: both set the clock, and each undoes the"
                            + " other's corrections",
                    "{{#applyStopsTimesyncd}}`ntpdeploy apply` stops and disables it{{/applyStopsTimesyncd}}"
                            + "{{^applyStopsTimesyncd}}stop and disable it: `systemctl disable --now systemd-timesyncd`"
                            + " (ntp_disable_competitors is false for {{host}}: ntpdeploy leaves it alone)"
                            + "{{/applyStopsTimesyncd}}")),
    NTPD_NOT_RUNNING(CRITICAL, "ntpd is not running",
            variant("refused", "ntpd is not running on {{host}}",
                    "start it: `systemctl enable --now {{service}}`; if it stops again read `journalctl -u"
                            + " {{service}}`"),
            variant("silent", "ntpd is not running on {{host}} and nothing answers ntpq"
                            + "{{#owners}} (UDP 123 owned by {{owners}}){{/owners}}",
                    "start it: `systemctl enable --now {{service}}`")),
    NTPD_NOT_LISTENING(CRITICAL, "ntpd runs but nothing answers on localhost UDP 123",
            text("ntpd runs on {{host}} ({{daemonAge}}) but nothing answers on localhost UDP 123",
                    "check `interface` lines in {{confPath}} and `journalctl -u {{service}}`")),
    NTPD_PANIC_EXIT(CRITICAL, "ntpd exited at its panic threshold (the panic line from its log)",
            text("ntpd on {{host}} exited: the clock is more than 1000 s off (panic threshold) and ntpd refuses to"
                            + " step it without -g",
                    "set the clock once (`ntpd -gq`, or run ntpd with -g), check the master's time, then"
                            + " `systemctl restart {{service}}`")),
    NTP_NOT_INSTALLED(CRITICAL, "neither ntpq nor a running ntpd: the package is not installed",
            text("neither ntpq nor a running ntpd on {{host}}: the ntp/ntpsec package is not installed",
                    "install it (`ntpdeploy apply` after installing the `{{service}}` package)")),
    NTPQ_MISSING(WARNING, Unknown.STATE, "ntpd runs but ntpq is not installed",
            text("ntpq is not installed on {{host}}: ntpd runs but its state cannot be read",
                    "install the package that ships ntpq (ntp / ntpsec)")),
    NTPQ_NO_ANSWER(CRITICAL, Downgrade.SERVES_SYNCED_CLIENTS, "ntpq timed out while ntpd runs, and the host shows"
            + " why: another daemon owns UDP 123, or the config is not the rendered one (`restrict 127.0.0.1`/`::1`)",
            variant("owner", "ntpq gets no answer from ntpd on {{host}}: {{otherOwner}} owns UDP 123"
                            + "{{#served}} (ntpd does serve time: {{served}} synced to it){{/served}}",
                    "stop {{otherOwner}}, then `systemctl restart {{service}}`"),
            variant("config", "ntpq gets no answer from ntpd on {{host}}, whose {{confPath}} is not the rendered one:"
                            + " without `restrict 127.0.0.1`/`restrict ::1` NTPsec refuses queries by default"
                            + "{{#served}} (it does serve time: {{served}} synced to it){{/served}}",
                    "`ntpdeploy apply` (the rendered file keeps `restrict 127.0.0.1` and `restrict ::1`;"
                            + " `ntpdeploy apply --dry-run` shows the difference)"),
            variant("served", "ntpq gets no answer from ntpd on {{host}}, which does serve time: {{served}} synced"
                            + " to it",
                    "`systemctl restart {{service}}` when convenient (the daemon answers clients, not queries);"
                            + " check a firewall on lo")),
    NTPQ_TIMED_OUT(WARNING, Unknown.STATE, "ntpq timed out while ntpd runs and nothing on the host shows why (its"
            + " config is the rendered one, ntpd owns UDP 123): state unknown; the daemon may be wedged",
            text("ntpq gets no answer from ntpd on {{host}} ({{daemonAge}}){{#compared}}, though {{confPath}} is the"
                            + " rendered one (with `restrict 127.0.0.1`/`restrict ::1`) and ntpd owns UDP"
                            + " 123{{/compared}}{{^compared}} (its config was not compared){{/compared}}: its state"
                            + " is unknown",
                    "the daemon may be wedged: `systemctl restart {{service}}`, then verify again; if ntpq still"
                            + " times out, look for a firewall on lo (`nft list ruleset`)")),
    NTPQ_LOOKUP_FAILED(WARNING, Unknown.STATE, "ntpq could not resolve `localhost`",
            text("ntpq could not query ntpd on {{host}}: {{error}}",
                    "make `localhost` resolve on the host (/etc/hosts)")),
    NTPQ_INCOMPLETE(WARNING, Unknown.STATE, "ntpq got a partial reply",
            text("ntpq could not query ntpd on {{host}}: {{error}}", "re-run the verification")),
    NTPQ_SERVER_ERROR(WARNING, Unknown.STATE, "ntpd refused ntpq's request",
            text("ntpq could not query ntpd on {{host}}: {{error}}", "re-run the verification")),
    UNPARSEABLE_OUTPUT(WARNING, Unknown.STATE, "ntpq or chronyc printed something no rule reads: shown as evidence,"
            + " never guessed at",
            variant("ntpq", "cannot read ntpq's output on {{host}} ({{reason}}): its state is unknown",
                    "run `ntpq -pn` on the host and report the output"),
            variant("chronyc", "cannot read chronyc's output on {{host}} ({{reason}}): its state is unknown",
                    "run `chronyc -n tracking` and `chronyc -n sources` on the host and report the output")),

    CHRONYD_NOT_RUNNING(CRITICAL, "chronyc says `506 Cannot talk to daemon` and no chronyd runs",
            text("chronyd is not running on {{host}} ({{evidence}})",
                    "start it: `systemctl enable --now {{service}}`; if it stops again read `journalctl -u"
                            + " {{service}}` (chronyd exits on a config line it rejects: `chronyd -p -f {{confPath}}`"
                            + " shows which)")),
    CHRONYC_NO_ANSWER(WARNING, Unknown.STATE, "chronyd runs but chronyc cannot talk to it (`506`): state unknown",
            text("chronyd runs on {{host}} ({{daemonAge}}) but chronyc cannot talk to it ({{evidence}}): its state is"
                            + " unknown",
                    "check chronyd's command socket (/run/chrony/chronyd.sock, `cmdport`/`bindcmdaddress` in"
                            + " {{confPath}}), then `systemctl restart {{service}}`")),
    CHRONY_NOT_INSTALLED(CRITICAL, "neither chronyc nor a running chronyd: the chrony package is not installed",
            text("neither chronyc nor a running chronyd on {{host}}: the chrony package is not installed",
                    "install the chrony package, then `ntpdeploy apply`")),
    CHRONYC_MISSING(WARNING, Unknown.STATE, "chronyd runs but chronyc is not installed",
            text("chronyc is not installed on {{host}}: chronyd runs but its state cannot be read",
                    "install the package that ships chronyc (chrony)")),
    CHRONYC_ERROR(WARNING, Unknown.STATE, "chronyc answered with an error (`501 Not authorised`: not run as root)",
            text("chronyc could not query chronyd on {{host}}: {{evidence}}",
                    "run the probe as root (become), which talks to chronyd over its Unix socket; re-run")),

    // ---------------------------------------------------------------- masters
    MASTER_UPSTREAM_UNREACHABLE(CRITICAL, Downgrade.MASTER_STARTING, "master's upstreams never answer"
            + " (.DNS./.INIT./reach 0, or no association): the seed's case; fix the path or `ntp_upstream: []`",
            text("master cannot reach its upstream servers ({{#dns}}DNS{{/dns}}{{^dns}}network{{/dns}}):"
                            + " {{upstreamRows}}; clients cannot sync to a stratum-16 master",
                    "repair the upstream path (DNS resolution and UDP/123 to {{upstreams}}) or set `ntp_upstream: []`"
                            + " (isolated: serve the local clock)")),
    UPSTREAM_NOT_SELECTED(CRITICAL, Downgrade.MASTER_STARTING, "upstreams answer, none selected (falsetickers,"
            + " unsynchronised upstreams)",
            text("master's upstream servers answer but none is selected ({{upstreamRows}})",
                    "check the upstreams agree with each other (x = falseticker, in ntpq's tally and chronyc's"
                            + " state; chronyc's ~ = too variable, ? = unusable) and are synchronised themselves")),
    LOCAL_CLOCK_NOT_CONFIGURED(CRITICAL, Downgrade.MASTER_STARTING, "`ntp_local_clock` but no LOCAL(0)"
            + " association: config drift",
            text("master should serve its local clock but ntpd has no LOCAL(0) (127.127.1.0) association:"
                            + " {{confPath}} is not what the inventory renders",
                    "suggest `ntpdeploy apply --dry-run`, then `ntpdeploy apply`")),
    MASTER_NO_SOURCES(CRITICAL, Downgrade.MASTER_STARTING, "master without server, local clock or orphan mode",
            text("master's {{daemon}} has no time source: no server, no local clock, no orphan mode",
                    "suggest `ntpdeploy apply --dry-run`, then `ntpdeploy apply`")),
    MASTER_UNSYNCED(CRITICAL, Downgrade.MASTER_STARTING, "local clock/orphan not selected long after orphanwait",
            text("master is not synchronised {{system}}: {{daemonAge}}, its local clock/orphan mode should be"
                            + " selected after orphanwait ({{orphanWait}} s)",
                    "read `journalctl -u {{service}}` and `{{statusQuery}}` on the host")),
    STARTING(WARNING, "master restarted within its start window: orphanwait + 2 polls with a local clock or orphan"
            + " mode, 2 polls + 60 s with upstreams only",
            text("master restarted recently ({{daemonAge}}): {{#ownClock}}a local clock or orphan source is only"
                            + " selected after orphanwait + 2 polls{{/ownClock}}{{^ownClock}}upstreams are selected"
                            + " within a few polls{{/ownClock}} ({{window}} s)",
                    "wait and verify again")),
    LOCAL_CLOCK_FALLBACK(WARNING, "master serves its local clock because its upstreams are unreachable",
            text("master serves its local clock: none of its upstream servers answers ({{upstreamRows}})",
                    "repair the upstream path (DNS resolution, UDP/123 to {{upstreams}}), or set `ntp_upstream: []`"
                            + " if this master is meant to be isolated")),
    ORPHAN_FALLBACK(WARNING, "master serves in orphan mode because its upstreams are unreachable",
            text("master serves in orphan mode: none of its upstream servers answers ({{upstreamRows}})",
                    "repair the upstream path (DNS resolution, UDP/123 to {{upstreams}}), or set `ntp_upstream: []`"
                            + " if this master is meant to be isolated")),
    UPSTREAM_STALE(WARNING, "master's selected upstream stopped answering",
            text("master's selected upstream {{peer}} stopped answering: {{freshness}}",
                    "check the upstream path (UDP/123 to {{peer}})")),

    // ---------------------------------------------------------------- clients and their masters
    MASTER_NOT_SERVING(CRITICAL, "client sees no usable replies because its master is not serving (blames the"
            + " master, not the network)",
            variant("silent", "no usable replies from {{master}}: the master itself is {{masterVerdict}} (an"
                            + " unsynchronised master's replies are dropped, so it looks unreachable from {{host}}, not a"
                            + " network problem)",
                    "fix {{master}} first (see its findings)"),
            variant("stratum 16", "{{master}} answers {{host}} at stratum 16: the master is not synchronised",
                    "fix {{master}} first (see its findings)")),
    MASTER_STATE_UNKNOWN(CRITICAL, "no replies, and the master could not be verified",
            text("no NTP replies from {{master}} ({{peer}}), whose own state is unknown ({{why}})",
                    "verify {{master}} too; then check UDP/123 between {{host}} and {{master}}")),
    CLIENT_NO_REPLIES(CRITICAL, "master serving, client gets nothing: the master's restrict lines first when its file"
            + " is not the rendered one or its `ntp_allow` cannot be checked against the client, else UDP/123 blocked",
            variant("restrict", "no NTP replies from {{master}} ({{peer}}) although it is serving: most likely"
                            + " {{master}}'s restrict lines deny {{host}} ({{address}}), as {{#drift}}its config is not"
                            + " the rendered one{{/drift}}{{^drift}}its `ntp_allow` {{allow}} cannot be checked against"
                            + " a name{{/drift}}; else UDP/123 is blocked",
                    "{{#drift}}`ntpdeploy apply --limit {{master}}` (puts back its rendered `restrict` lines)"
                            + "{{/drift}}{{^drift}}make {{master}}'s `ntp_allow` cover the address {{host}} sends"
                            + " from{{/drift}}; if replies still do not come, open UDP/123 between {{host}} and"
                            + " {{master}} (both directions, nft/iptables on both hosts)"),
            variant("path", "no NTP replies from {{master}} ({{peer}}) although it is serving: UDP/123 blocked"
                            + " between them ({{master}}'s rendered restrict lines allow {{host}} ({{address}})"
                            + "{{#compared}} and its config is the rendered one{{/compared}})",
                    "open UDP/123 between {{host}} and {{master}} (both directions, nft/iptables on both hosts)"
                            + "{{^compared}}; if it is open, check {{master}}'s config is the rendered one"
                            + " (`ntpdeploy apply --limit {{master}} --dry-run`){{/compared}}")),
    UNHEARD_BY_MASTER(WARNING, "seen from the master's end (its daemon's record of the hosts it served: chronyd's"
            + " `clients`, ntpd's MRU list): the client's requests never reach it, or they do and its replies are lost"
            + " on the way back",
            variant("never", "{{master}} has received no NTP request from {{host}} ({{address}}) in the last {{window}}"
                            + " s{{#synced}}, though"
                            + " {{host}} is synced to it: it reaches {{master}} through another path (NAT, a proxy, a"
                            + " duplicate address){{/synced}}{{^synced}}: the requests are lost on the way out (UDP/123"
                            + " dropped leaving {{host}} or entering {{master}}), or {{master}} refuses them{{/synced}}",
                    "{{^synced}}look for a firewall on {{host}}'s way out and {{master}}'s way in (`nft list ruleset`"
                            + " on both){{/synced}}{{#synced}}check which address {{host}} reaches {{master}}"
                            + " at{{/synced}}"),
            variant("replies lost", "{{master}} received {{requests}} NTP requests from {{host}} ({{address}}), the"
                            + " last {{last}} s ago: its replies are lost on the way back",
                    "look for a firewall on {{master}}'s way out and {{host}}'s way in (UDP/123 replies)")),
    BOTH_ENDS_UNCHECKED(INFO, "the master keeps no record of the hosts it serves that could be read (classic ntpd's"
            + " `disable monitor`, chronyd's `noclientlog`, a failed query): its clients are not checked from its end",
            text("{{host}}'s clients are not checked from its end: {{reason}}",
                    "nothing to do for sync; for the check, let {{daemon}} keep its list (ntpd: no `disable monitor`;"
                            + " chronyd: no `noclientlog`) and run the probe as root")),
    CLIENTS_NOT_IN_INVENTORY(INFO, "the master served hosts the inventory does not list (counted; they may be"
            + " legitimate)",
            text("{{host}} served {{count}} host(s) the inventory does not list in the last {{window}} s: {{some}}",
                    "none if they are meant to use {{host}}; else narrow `ntp_allow` (with `ntp_serve_others:"
                            + " false`) or list them in the inventory")),
    CLIENT_NOT_ALLOWED(CRITICAL, "client outside the master's `ntp_allow` (or KoD .DENY./.RSTR.): names the entry"
            + " to add",
            text("{{master}} ({{peer}}) {{#kiss}}answers {{host}} with a kiss-of-death {{kiss}}{{/kiss}}"
                            + "{{^kiss}}sends no NTP replies to {{host}}{{/kiss}}: its `restrict` lines do not allow"
                            + " {{host}} ({{address}}, ntp_allow {{allow}})",
                    "add `{{add}}` to {{master}}'s `ntp_allow` (renders the `restrict` line for that network) and run"
                            + " `ntpdeploy apply`")),
    RATE_LIMITED(CRITICAL, "KoD .RATE. from the master",
            text("{{master}} rate-limits {{host}} (kiss-of-death .RATE.)",
                    "exempt the clients' network from `limited` on {{master}}; do not use `burst` or a low `minpoll`"
                            + " against your own master")),
    MASTER_NAME_UNRESOLVED(CRITICAL, "client cannot resolve the master's `ntp_server_address`",
            text("{{host}} cannot resolve {{master}}'s address {{peer}}",
                    "set {{master}}'s `ntp_server_address` to its IP address, or fix DNS on {{host}}")),
    MASTER_FALSETICKER(CRITICAL, "replies arrive but the client rejects the master as a falseticker",
            text("{{host}} rejects {{master}} as a falseticker: it disagrees with the client's other sources",
                    "let clients use only the inventory masters; check {{master}}'s clock")),
    MASTER_TOO_VARIABLE(CRITICAL, "replies arrive but the client rejects the master as too variable (chrony `~`)",
            text("{{host}} rejects {{master}} as too variable (chrony `~`, reach {{reach}}{{#jitter}}, samples spread"
                            + " {{jitter}} ms{{/jitter}}): its measurements of {{master}} vary more than chronyd accepts",
                    "check the path between {{host}} and {{master}} (load, queueing, a virtual machine's clock):"
                            + " `chronyc sourcestats` on {{host}} shows the spread; chrony's `maxjitter` (default 1 s)"
                            + " is the limit")),
    MASTER_UNUSABLE(CRITICAL, "replies arrive but the client's daemon marks the master unusable (chrony `?`): too few"
            + " samples, the master not synchronised, or beyond `maxdistance`",
            text("{{host}} marks {{master}} unusable (chrony `?`, reach {{reach}}) although replies arrive {{freshness}}",
                    "see {{master}}'s verdict first; if it is SERVING, compare its root distance (`chronyc tracking`"
                            + " on {{master}}: root delay / 2 + root dispersion) with `maxdistance` on {{host}} (default"
                            + " 3 s), and read `journalctl -u {{service}}` on {{host}}")),
    MASTER_NOT_SELECTED(CRITICAL, "replies arrive but the master is not selected",
            text("replies from {{master}} arrive (reach {{reach}}) but {{host}} does not select it {{freshness}}",
                    "read `{{selectionQuery}}` and `journalctl -u {{service}}` on {{host}}")),
    WAITING_FOR_MASTER(WARNING, "grace: the client's master is STARTING",
            text("{{host}} waits for {{master}}, which is STARTING", "wait and verify again")),
    SYNCING(WARNING, "grace: the client is converging (first polls, replies arriving, a clock step, its master just"
            + " restarted)",
            variant("first polls", "{{host}} has not polled {{master}} yet ({{daemonAge}}"
                            + "{{#masterRestarted}}, {{master}} restarted {{masterUptime}} s ago{{/masterRestarted}},"
                            + " poll {{poll}} s)",
                    "wait and verify again"),
            variant("hears", "{{host}} hears {{master}} (reach {{reach}}), no peer selected yet ({{daemonAge}})",
                    "wait and verify again"),
            variant("stepped", "{{host}} has just stepped its clock (.STEP.): associations restart",
                    "wait a few polls and verify again"),
            variant("master restarted", "{{master}} restarted {{masterUptime}} s ago: {{host}} keeps `*` on it until"
                            + " its polls are answered again ({{freshness}})",
                    "wait and verify again"),
            variant("clock not set", "{{host}} selected {{master}} but has not set its clock yet {{system}}"
                            + " ({{daemonAge}})",
                    "wait and verify again")),
    PEER_STALE(CRITICAL, "`*` kept but newest reach bit clear or `when` > 2·poll; blames the master when it is down",
            variant("master not serving", "{{host}} keeps `*` on {{peer}} ({{master}}) but it is stale: {{freshness}};"
                            + " master {{master}} is {{masterVerdict}}: fix the master first",
                    "see {{master}}'s findings"),
            variant("replies stopped", "{{host}} keeps `*` on {{peer}} ({{master}}) but it is stale: {{freshness}};"
                            + " replies stopped: UDP/123 blocked, or {{master}} rate-limits {{host}} (`restrict ..."
                            + " limited`, KoD)",
                    "open UDP/123 between {{host}} and {{master}}; exempt the client network from `limited` on the"
                            + " master")),
    PEER_LOSSY(WARNING, "≥ 2 lost polls in the reach register",
            text("{{host}} misses replies from {{master}}: reach {{reach}} ({{missed}} of the last polls lost)",
                    "check packet loss and rate limiting between {{host}} and {{master}}")),
    SYNCED_TO_FOREIGN_PEER(CRITICAL, "client synced to a host that is not an inventory master",
            text("{{host}} is synced to {{peer}} (stratum {{stratum}}), which is not one of the inventory masters"
                            + " ({{masters}})",
                    "its config differs from the inventory: suggest `ntpdeploy apply --dry-run`")),
    CLIENT_ON_LOCAL_CLOCK(CRITICAL, "a client follows a clock of its own (`*LOCAL(0)`, a reference clock), not a"
            + " master",
            text("{{host}} follows its own {{peer}} clock, not a master{{#mastersDown}} ({{mastersDown}}){{/mastersDown}}",
                    "remove `server 127.127.1.0`/`fudge` from the client's config (ntpdeploy never renders them for"
                            + " clients): suggest `ntpdeploy apply --dry-run`")),
    CLIENT_NO_SERVERS(CRITICAL, "client polls no server at all",
            text("{{daemon}} on {{host}} polls no server at all: {{confPath}} is not the inventory's (not applied,"
                            + " other path, or a DHCP override)",
                    "suggest `ntpdeploy apply --dry-run`, then `ntpdeploy apply`")),
    CLIENT_MASTER_NOT_CONFIGURED(CRITICAL, "client polls none of the inventory masters",
            text("{{host}} polls none of the inventory masters ({{masters}})",
                    "its config differs from the inventory (or a DHCP override is used): suggest `ntpdeploy apply"
                            + " --dry-run`")),
    CLIENT_NOT_SYNCHRONISED(CRITICAL, "selects a master but still reports leap 11 / stratum 16",
            text("{{host}} selects {{master}} but still reports itself unsynchronised {{system}}",
                    "read `journalctl -u {{service}}` on the host")),

    // ---------------------------------------------------------------- both roles
    STRATUM_UNEXPECTED(WARNING, "stratum differs from what the topology implies (local clock `fudge … stratum N`"
            + " serves at N+1, `tos orphan N` at N, a client one below its master)",
            variant("master", "master serves at stratum {{actual}}, the inventory expects {{expected}}"
                            + "{{#localClock}} (local clock fudge stratum {{fudge}} + 1){{/localClock}}"
                            + "{{^localClock}} (tos orphan {{expected}}){{/localClock}}",
                    "suggest `ntpdeploy apply --dry-run` to compare the config on the host"),
            variant("client", "{{host}} runs at stratum {{actual}}, expected {{expected}} (one below {{master}} at"
                            + " {{served}})",
                    "suggest `ntpdeploy apply --dry-run` on {{master}}")),
    OFFSET_WARNING(WARNING, "|offset| above half of `ntp_max_offset_ms`",
            text("{{host}} is {{#truncated}}at least {{/truncated}}{{offset}} ms off {{peer}} (more than half of"
                            + " ntp_max_offset_ms {{limit}})",
                    "watch it; a rising offset means the clock source or the network path is unstable")),
    OFFSET_CRITICAL(CRITICAL, "|offset| above `ntp_max_offset_ms`",
            text("{{host}} is {{#truncated}}at least {{/truncated}}{{offset}} ms off {{peer}} (limit"
                            + " ntp_max_offset_ms {{limit}})",
                    "wait for ntpd to step/slew; if it persists check the clock source and `tinker` settings")),
    ERROR_BOUND_HIGH(WARNING, "the daemon's own error bound (|offset| + root dispersion + root delay / 2, from"
            + " `chronyc tracking` or `ntpq -c rv`) exceeds `ntp_max_offset_ms` while the offset is within it",
            text("{{host}}'s clock may be up to {{bound}} ms off by its {{daemon}}'s own account ({{parts}}), more"
                            + " than ntp_max_offset_ms {{limit}}: the offset to its source is within the limit, the chain"
                            + " above it does not prove the clock is",
                    "look up the chain for a slow or dispersed source (root delay: the network path to the"
                            + " reference; root dispersion: a source that has not been updated, e.g. a local clock"
                            + " served for long); raise ntp_max_offset_ms if this bound is acceptable")),
    OFFSET_PANIC(CRITICAL, "beyond 1000 s: ntpd refuses to step without -g",
            text("{{host}} is {{#truncated}}at least {{/truncated}}{{offset}} ms off {{peer}}: beyond ntpd's 1000 s"
                            + " panic threshold, ntpd will refuse to step without -g (and exit)",
                    "set the clock once (`ntpd -gq`, or start ntpd with -g) after checking which side is wrong")),
    SYNC_TIMEOUT(CRITICAL, "the host was still STARTING/SYNCING when `--sync-timeout` ran out: judged with its grace"
            + " window closed (the findings next to it say why), counted as not in sync",
            text("{{host}} was still {{verdict}} after waiting {{waited}} s for sync (--sync-timeout): counted as not"
                            + " in sync",
                    "fix the causes above; if {{host}} only needs longer (a local-clock master waits orphanwait + 2"
                            + " polls), raise --sync-timeout and verify again with `--wait`"));

    /** A finding that leaves the host's state unknown: the host counts UNKNOWN, whatever its severity. */
    enum Unknown {
        STATE
    }

    /** One way of telling the code's cause: its message and fix templates. */
    record Text(String variant, FindingTemplate message, FindingTemplate fix) {
    }

    private final Severity severity;
    private final Set<Downgrade> downgrades;
    private final boolean stateUnknown;
    private final String summary;
    private final List<Text> texts;

    FindingCode(Severity severity, String summary, Text... texts) {
        this(severity, Set.of(), false, summary, texts);
    }

    FindingCode(Severity severity, Downgrade downgrade, String summary, Text... texts) {
        this(severity, EnumSet.of(downgrade), false, summary, texts);
    }

    FindingCode(Severity severity, Unknown unknown, String summary, Text... texts) {
        this(severity, Set.of(), true, summary, texts);
    }

    FindingCode(Severity severity, Set<Downgrade> downgrades, boolean stateUnknown, String summary, Text... texts) {
        this.severity = severity;
        this.downgrades = Set.copyOf(downgrades);
        this.stateUnknown = stateUnknown;
        this.summary = summary;
        this.texts = List.of(texts);
    }

    private static Text text(String message, String fix) {
        return variant("", message, fix);
    }

    private static Text variant(String name, String message, String fix) {
        return new Text(name, new FindingTemplate(message), new FindingTemplate(fix));
    }

    /** The code as reports print it. */
    public String code() {
        return name();
    }

    /** Its severity unless a rule applies one of its {@link #downgrades()}. */
    public Severity severity() {
        return severity;
    }

    /** The reasons a rule may report it as a WARNING instead. */
    Set<Downgrade> downgrades() {
        return downgrades;
    }

    /** The host's state could not be established (its status is UNKNOWN). */
    public boolean stateUnknown() {
        return stateUnknown;
    }

    /**
     * The host cannot converge while this holds, however young its daemon: ntpd will not step beyond its panic
     * threshold without -g. A host with such a finding is UNSYNCED at once, never STARTING/SYNCING, so no wait loop
     * waits out --sync-timeout for it.
     */
    public boolean rulesOutSync() {
        return this == OFFSET_PANIC || this == NTPD_PANIC_EXIT;
    }

    /** A grace finding: it tells the operator to wait, which a finding that rules out sync contradicts. */
    boolean grace() {
        return this == STARTING || this == SYNCING || this == WAITING_FOR_MASTER;
    }

    /** What it means, for the findings table. */
    public String summary() {
        return summary;
    }

    List<Text> texts() {
        return texts;
    }

    /** @param variant "" for a code with one text */
    Text text(String variant) {
        for (Text t : texts) {
            if (t.variant().equals(variant)) {
                return t;
            }
        }
        throw new IllegalArgumentException(name() + " has no text '" + variant + "'");
    }

    /** The finding at this code's own severity, its texts filled from {@code params}. */
    Finding finding(String variant, Map<String, ?> params, List<String> evidence) {
        Text t = text(variant);
        return new Finding(name(), severity, t.message().render(params), t.fix().render(params), evidence);
    }
}
