/**
 * Everything that crosses SSH (sshj), behind the small {@link dev.ntpdeploy.transport.Connection} contract.
 *
 * <pre>{@code
 * // cli: @Mixin SshOptions ssh;   Main: Logging.configure(...) before anything logs
 * TransportOptions options = ssh.toTransportOptions();
 * try (Fleet fleet = Fleet.open(hosts, options)) {          // parallel, --forks at a time; throws only for
 *     fleet.unreachable().forEach((host, why) -> ...);        // run-level problems (bad --known-hosts, no tty)
 *     for (var e : fleet.connected().entrySet()) {
 *         Connection c = e.getValue();
 *         ExecResult r = c.exec("ntpq -pn", null, options.commandTimeout());
 *         c.execPrivileged("systemctl restart ntpsec", null, options.commandTimeout());
 *         // files are installed by apply's change unit (ops.ChangeUnit), one privileged command per host
 *     }
 * }
 * }</pre>
 *
 * <p>Every failure that concerns one host is a {@link dev.ntpdeploy.transport.TransportException} whose
 * message starts with the host's inventory name and is fit to show as is (it never holds a secret).
 * A command that ran and failed is an {@link dev.ntpdeploy.transport.ExecResult} with its exit code, not an exception.
 */
package dev.ntpdeploy.transport;
